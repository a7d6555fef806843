using Rerank.LuceneBaseline.Engine.Search.Queries;
using static Rerank.LuceneBaseline.Engine.Tests.Search.Queries.Bm25Reference;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>Queries over mapping features: CJK analysis, dynamic fields, float precision, non-indexed fields, exists edge cases.</summary>
public sealed class MappingFeatureQueryTests : IDisposable
{
    private readonly QueryTestIndex _index = QueryTestIndex.Create(
        """
        {"properties": {
          "zh": {"type": "text", "analyzer": "cjk"},
          "ratio": {"type": "float"},
          "half": {"type": "half_float"},
          "hidden": {"type": "keyword", "index": false},
          "secret": {"type": "text", "index": false},
          "plain": {"type": "text", "norms": false},
          "code": {"type": "keyword"}
        }}
        """,
        ("z1", """{"zh": "東京都庁", "ratio": 0.1, "half": 0.1, "hidden": "a", "plain": "one two three four", "code": ""}"""),
        ("z2", """{"zh": "京都大学", "ratio": 0.3, "half": 1000.3, "plain": "one", "code": null}"""),
        ("z3", """{"zh": "東京大学", "name": "Dynamic Name", "code": []}"""));

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData("""{"match": {"zh": "京都"}}""", "z1 z2")]
    [InlineData("""{"match": {"zh": "東京"}}""", "z1 z3")]
    [InlineData("""{"match_phrase": {"zh": "東京都"}}""", "z1")] // bigrams 東京, 京都 at consecutive positions
    [InlineData("""{"match_phrase": {"zh": "京都大"}}""", "z2")]
    [InlineData("""{"match": {"zh": {"query": "東京大学", "operator": "and"}}}""", "z3")] // 東京, 京大, 大学
    [InlineData("""{"match": {"zh": {"query": "東京大学", "minimum_should_match": 2}}}""", "z3")]
    public void Cjk_BigramsAreConsecutivePositions(string query, string ids)
    {
        Assert.Equal(ids.Split(' '), _index.Ids(query));
    }

    [Fact]
    public void Cjk_ScoresEachBigramAsATerm()
    {
        // zh lengths 3, 3, 3 bigrams: avgdl 3 (exact under the one-byte norm); 京都 in z1 and z2, 都大 only in z2.
        var score = _index.Score("""{"match": {"zh": "京都大"}}""", "z2");

        Assert.Equal(Score(1, 3, 3, 2, 3) + Score(1, 3, 3, 1, 3), score!.Value, 1e-5);
    }

    [Fact]
    public void NormsDisabled_IgnoresFieldLength()
    {
        // Without norms every document's length reads as 1 (Lucene 9's missing norm); plain is in z1 (4 terms) and z2 (1):
        // N 2, avgdl 5 / 2.
        var long4 = _index.Score("""{"match": {"plain": "one"}}""", "z1");
        var short1 = _index.Score("""{"match": {"plain": "one"}}""", "z2");

        var expected = Idf(2, 2) * (K1 + 1) / (1 + (K1 * (1 - B + (B * 1 / 2.5))));
        Assert.Equal(expected, long4!.Value, 1e-5);
        Assert.Equal(expected, short1!.Value, 1e-5);
    }

    [Theory]
    [InlineData("""{"term": {"ratio": 0.1}}""", "z1")]
    [InlineData("""{"term": {"ratio": 0.3}}""", "z2")]
    [InlineData("""{"range": {"ratio": {"gte": 0.1, "lte": 0.1}}}""", "z1")]
    [InlineData("""{"range": {"ratio": {"gt": 0.1}}}""", "z2")]
    // half_float keeps 11 significant bits: 1000.3 is stored as 1000.5, 0.1 as 0.0999755859375.
    [InlineData("""{"term": {"half": 1000.3}}""", "z2")]
    [InlineData("""{"term": {"half": 1000.5}}""", "z2")]
    [InlineData("""{"range": {"half": {"gte": 1000.4}}}""", "z2")]
    [InlineData("""{"range": {"half": {"gt": 1000.5}}}""", "")]
    [InlineData("""{"range": {"half": {"lt": 1000.5}}}""", "z1")]
    [InlineData("""{"range": {"half": {"lte": 0.1}}}""", "z1")]
    public void FloatTypes_QueryValuesRoundAsIndexed(string query, string ids)
    {
        Assert.Equal(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries), _index.Ids(query));
    }

    [Theory]
    [InlineData("""{"term": {"hidden": "a"}}""", "illegal_argument_exception", "searching field [hidden] (index: false) through its doc values is not supported by the embedded engine")]
    [InlineData("""{"match": {"secret": "x"}}""", "query_shard_exception", "failed to create query: Cannot search on field [secret] since it is not indexed.")]
    [InlineData("""{"match_phrase": {"secret": "x y"}}""", "query_shard_exception", "failed to create query: Cannot search on field [secret] since it is not indexed.")]
    [InlineData("""{"prefix": {"secret": "x"}}""", "query_shard_exception", "failed to create query: Cannot search on field [secret] since it is not indexed.")]
    public void NotIndexedFields_AreRefused(string query, string type, string reason)
    {
        var error = _index.Error(query);

        Assert.Equal((type, reason), (error.Type, error.Reason));
    }

    [Fact]
    public void NotIndexedText_LenientMatch_MatchesNothing()
    {
        Assert.Empty(_index.Search("""{"match": {"secret": {"query": "x", "lenient": true}}}"""));
    }

    [Theory]
    [InlineData("code", "z1")] // "" exists; null and [] do not
    [InlineData("hidden", "z1")] // not indexed, but the value is there (doc values)
    [InlineData("name", "z3")] // mapped dynamically: text with a keyword multi-field
    [InlineData("name.keyword", "z3")]
    public void Exists_CountsIndexedValues(string field, string ids)
    {
        Assert.Equal(ids.Split(' '), _index.Ids("{\"exists\": {\"field\": \"" + field + "\"}}"));
    }

    [Fact]
    public void DynamicField_IsSearchableAsTextAndKeyword()
    {
        Assert.Equal(["z3"], _index.Ids("""{"match": {"name": "dynamic"}}"""));
        Assert.Equal(["z3"], _index.Ids("""{"term": {"name.keyword": "Dynamic Name"}}"""));
        Assert.Empty(_index.Search("""{"term": {"name.keyword": "dynamic"}}"""));
    }

    [Fact]
    public void ParsedQuery_BuildsForSeveralIndices()
    {
        // Parse once, build per index, as a search over several indices does.
        var node = Rerank.LuceneBaseline.Engine.Search.QueryDslParser.ParseNode(
            System.Text.Json.Nodes.JsonNode.Parse("""{"match": {"zh": "京都"}}""")!.AsObject());

        var first = Rerank.LuceneBaseline.Engine.Search.QueryDslParser.ToQuery(node, _index.Target, QueryTestIndex.Now);
        var second = Rerank.LuceneBaseline.Engine.Search.QueryDslParser.ToQuery(node, _index.Target, QueryTestIndex.Now);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.IsNotType<MatchNoDocsQuery>(first);
    }
}
