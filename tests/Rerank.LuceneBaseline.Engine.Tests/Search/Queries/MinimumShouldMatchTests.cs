using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary><c>minimum_should_match</c> in every form, worked out by hand from the Elasticsearch reference's rules.</summary>
public sealed class MinimumShouldMatchTests : IDisposable
{
    // Terms per document for the query "a b c d": m1 4, m2 2 (a b), m3 1 (a), m4 3 (b c d), m5 0.
    private readonly QueryTestIndex _index = QueryTestIndex.Create(
        """{"properties": {"text": {"type": "text"}}}""",
        ("m1", """{"text": "a b c d"}"""),
        ("m2", """{"text": "a b"}"""),
        ("m3", """{"text": "a"}"""),
        ("m4", """{"text": "b c d"}"""),
        ("m5", """{"text": "e"}"""));

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData(4, "3", 3)]
    [InlineData(2, "3", 3)] // more than the clauses: nothing can match
    [InlineData(4, "-1", 3)]
    [InlineData(4, "-5", 0)]
    [InlineData(4, "75%", 3)]
    [InlineData(3, "75%", 2)] // 2.25 rounds down
    [InlineData(4, "-25%", 3)] // 4 + (int)(-1.0)
    [InlineData(3, "-25%", 3)] // 3 + (int)(-0.75) = 3 - 0
    [InlineData(2, "50%", 1)]
    [InlineData(4, "3<90%", 3)] // more than 3 clauses: 90% of 4 = 3.6 -> 3
    [InlineData(3, "3<90%", 3)] // up to 3 clauses: all required
    [InlineData(10, "2<-25% 9<-3", 7)] // above 9: all but 3
    [InlineData(5, "2<-25% 9<-3", 4)] // 3..9: all but 25% (5 - 1)
    [InlineData(2, "2<-25% 9<-3", 2)]
    [InlineData(4, " 3 < 90% ", 3)] // spaces around '<' are dropped
    [InlineData(4, "0", 0)]
    public void Calculate_ElasticsearchForms_GiveRequiredClauses(int clauses, string spec, int expected)
    {
        Assert.Equal(expected, MinimumShouldMatch.Calculate(clauses, spec));
    }

    [Theory]
    [InlineData("abc", "number_format_exception", "For input string: \"abc\"")]
    [InlineData("50%%", "number_format_exception", "For input string: \"50%\"")]
    [InlineData("2.5", "number_format_exception", "For input string: \"2.5\"")]
    [InlineData("3<", "array_index_out_of_bounds_exception", "Index 1 out of bounds for length 1")]
    public void Calculate_Malformed_FailsAsJava(string spec, string type, string reason)
    {
        var error = Assert.Throws<EngineException>(() => MinimumShouldMatch.Calculate(4, spec));

        Assert.Equal((type, reason), (error.Type, error.Reason));
    }

    [Theory]
    [InlineData("2", "m1 m2 m4")]
    [InlineData("3", "m1 m4")]
    [InlineData("-1", "m1 m4")]
    [InlineData("75%", "m1 m4")]
    [InlineData("50%", "m1 m2 m4")]
    [InlineData("-25%", "m1 m4")]
    [InlineData("3<90%", "m1 m4")]
    [InlineData("5<90%", "m1")]
    [InlineData("2<-25% 9<-3", "m1 m4")]
    [InlineData("5", "")]
    [InlineData("1", "m1 m2 m3 m4")]
    public void Match_MinimumShouldMatch_FiltersByMatchedTermCount(string spec, string ids)
    {
        var query = "{\"match\": {\"text\": {\"query\": \"a b c d\", \"minimum_should_match\": \"" + spec + "\"}}}";

        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), _index.Ids(query));
    }

    [Fact]
    public void Match_MinimumShouldMatchAsJsonNumber_IsAccepted()
    {
        Assert.Equal(["m1", "m2", "m4"], _index.Ids("""{"match": {"text": {"query": "a b c d", "minimum_should_match": 2}}}"""));
    }

    [Fact]
    public void Match_MinimumShouldMatchOnOneToken_DoesNotApply()
    {
        // A single token is a term query, which minimum_should_match leaves alone (as in Elasticsearch).
        Assert.Equal(["m1", "m2", "m3"], _index.Ids("""{"match": {"text": {"query": "a", "minimum_should_match": "2"}}}"""));
    }

    [Fact]
    public void Match_AndWithMinimumShouldMatch_MatchesNothing()
    {
        // With operator and there are no should clauses; a positive minimum cannot be met.
        Assert.Empty(_index.Search("""{"match": {"text": {"query": "a b", "operator": "and", "minimum_should_match": "1"}}}"""));
        Assert.Equal(["m1", "m2"], _index.Ids("""{"match": {"text": {"query": "a b", "operator": "and", "minimum_should_match": "100%"}}}"""));
    }

    [Fact]
    public void Match_RepeatedTokensWithMinimum_CountEachOccurrence()
    {
        // "a a b": three clauses; 3 required means a doc needs a (twice over) and b.
        Assert.Equal(["m1", "m2"], _index.Ids("""{"match": {"text": {"query": "a a b", "minimum_should_match": 3}}}"""));
    }

    [Fact]
    public void Match_MalformedMinimum_IsAShardFailure()
    {
        var error = _index.Error("""{"match": {"text": {"query": "a b", "minimum_should_match": "x"}}}""");

        Assert.Equal(("query_shard_exception", "failed to create query: For input string: \"x\"", "test"), (error.Type, error.Reason, error.Index));
        Assert.True(QueryErrors.IsShardFailure(error));
        Assert.Equal("number_format_exception", (string?)error.Extra!["caused_by"]!["type"]);
    }
}
