using static Rerank.LuceneBaseline.Engine.Tests.Search.Queries.Bm25Reference;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>multi_match types, field boosts, patterns and the default fields, scored against the BM25 formula.</summary>
public sealed class MultiMatchQueryTests : IDisposable
{
    // title lengths 1, 1, 1 (avgdl 1); body lengths 1, 4, 1 (avgdl 2). 3 documents, each with both fields.
    // title df: apple 1 (c1), banana 1 (c2), cherry 1 (c3); body df: banana 1 (c1), apple 1 (c2), cherry 2 (c2, c3), fig 1 (c2).
    private const int N = 3;

    private readonly QueryTestIndex _index = QueryTestIndex.Create(
        """{"properties": {"title": {"type": "text"}, "body": {"type": "text"}, "count": {"type": "long"}, "tag": {"type": "keyword"}}}""",
        ("c1", """{"title": "apple", "body": "banana", "count": 1, "tag": "apple"}"""),
        ("c2", """{"title": "banana", "body": "apple apple cherry fig", "count": 5}"""),
        ("c3", """{"title": "cherry", "body": "cherry", "count": 7}"""));

    public void Dispose() => _index.Dispose();

    private static double Title(string term, string id) => (term, id) switch
    {
        ("apple", "c1") or ("banana", "c2") or ("cherry", "c3") => Score(1, 1, 1, 1, N),
        _ => 0,
    };

    private static double Body(string term, string id) => (term, id) switch
    {
        ("banana", "c1") => Score(1, 1, 2, 1, N),
        ("apple", "c2") => Score(2, 4, 2, 1, N),
        ("cherry", "c2") => Score(1, 4, 2, 2, N),
        ("cherry", "c3") => Score(1, 1, 2, 2, N),
        _ => 0,
    };

    [Fact]
    public void BestFields_WithFieldBoost_TakesTheBestBoostedField()
    {
        var hits = _index.Search("""{"multi_match": {"query": "apple", "fields": ["title^2", "body"]}}""");

        Assert.Equal(2 * Title("apple", "c1"), hits.Single(h => h.Id == "c1").Score, 1e-5);
        Assert.Equal(Body("apple", "c2"), hits.Single(h => h.Id == "c2").Score, 1e-5);
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public void BestFields_TieBreaker_AddsTheOtherFields()
    {
        var hits = _index.Search("""{"multi_match": {"query": "apple banana", "fields": ["title", "body"], "tie_breaker": 0.5}}""");

        foreach (var id in new[] { "c1", "c2" })
        {
            var title = Title("apple", id) + Title("banana", id);
            var body = Body("apple", id) + Body("banana", id);
            Assert.Equal(Math.Max(title, body) + (0.5 * Math.Min(title, body)), hits.Single(h => h.Id == id).Score, 1e-5);
        }
    }

    [Fact]
    public void MostFields_SumsTheFields()
    {
        var score = _index.Score("""{"multi_match": {"query": "cherry", "type": "most_fields", "fields": ["title", "body"]}}""", "c3");

        Assert.Equal(Title("cherry", "c3") + Body("cherry", "c3"), score!.Value, 1e-5);
    }

    [Fact]
    public void Phrase_RunsMatchPhrasePerField()
    {
        var hits = _index.Search("""{"multi_match": {"query": "apple cherry", "type": "phrase", "fields": ["title", "body"]}}""");

        var (id, score) = Assert.Single(hits);
        Assert.Equal("c2", id);
        // "apple apple cherry fig": the second apple is right before cherry.
        Assert.Equal(PhraseScore(1, 4, 2, Idf(1, N) + Idf(2, N)), score, 1e-5);
    }

    [Fact]
    public void FieldPattern_ExpandsToMatchingFields()
    {
        var pattern = _index.Search("""{"multi_match": {"query": "cherry", "fields": ["t*"], "type": "most_fields"}}""");

        var (id, score) = Assert.Single(pattern);
        Assert.Equal("c3", id);
        Assert.Equal(Title("cherry", "c3"), score, 1e-5);
    }

    [Fact]
    public void FieldNamedTwice_MultipliesBoosts()
    {
        var score = _index.Score("""{"multi_match": {"query": "apple", "fields": ["title^2", "ti*^3"]}}""", "c1");

        Assert.Equal(6 * Title("apple", "c1"), score!.Value, 1e-5);
    }

    [Fact]
    public void OperatorAndMinimumShouldMatch_ApplyPerField()
    {
        Assert.Empty(_index.Search("""{"multi_match": {"query": "apple banana", "fields": ["title", "body"], "operator": "and"}}"""));
        Assert.Equal(["c2"], _index.Ids("""{"multi_match": {"query": "apple cherry", "fields": ["title", "body"], "minimum_should_match": 2}}"""));
    }

    [Fact]
    public void NoFields_SearchesEveryFieldLeniently()
    {
        // index.query.default_field is "*": the long field is searched too, and text that is no number matches nothing there.
        Assert.Equal(["c1", "c2"], _index.Ids("""{"multi_match": {"query": "apple"}}"""));
        var five = _index.Search("""{"multi_match": {"query": "5"}}""");
        var (id, score) = Assert.Single(five);
        Assert.Equal(("c2", 1f), (id, score));
    }

    [Fact]
    public void ExplicitNumericFieldWithText_FailsUnlessLenient()
    {
        var error = _index.Error("""{"multi_match": {"query": "apple", "fields": ["title", "count"]}}""");

        Assert.Equal(("query_shard_exception", "failed to create query: For input string: \"apple\""), (error.Type, error.Reason));
        Assert.Equal(["c1"], _index.Ids("""{"multi_match": {"query": "apple", "fields": ["title", "count"], "lenient": true}}"""));
    }

    [Fact]
    public void UnmappedFields_MatchNothing()
    {
        Assert.Empty(_index.Search("""{"multi_match": {"query": "apple", "fields": ["nope", "no*"]}}"""));
    }

    [Fact]
    public void KeywordField_MatchesTheWholeValue()
    {
        Assert.Equal(["c1"], _index.Ids("""{"multi_match": {"query": "apple", "fields": ["tag"]}}"""));
        Assert.Empty(_index.Search("""{"multi_match": {"query": "Apple", "fields": ["tag"]}}"""));
    }
}
