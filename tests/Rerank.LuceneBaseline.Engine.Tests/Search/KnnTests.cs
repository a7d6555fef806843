using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class KnnTests : IDisposable
{
    private readonly TestIndex _index = new(
        "vectors",
        """
        {"properties": {
          "title": {"type": "text"},
          "v": {"type": "dense_vector", "dims": 2, "similarity": "cosine"},
          "dot": {"type": "dense_vector", "dims": 2, "similarity": "dot_product"},
          "l2": {"type": "dense_vector", "dims": 2, "similarity": "l2_norm"},
          "mip": {"type": "dense_vector", "dims": 2, "similarity": "max_inner_product"},
          "u": {"type": "dense_vector", "dims": 2, "index": false}}}
        """,
        [
            ("a", """{"title": "apple", "v": [1, 0], "dot": [1, 0], "l2": [0, 0], "mip": [1, 2], "u": [1, 0]}"""),
            ("b", """{"title": "banana", "v": [0, 1], "dot": [0, 1], "l2": [3, 4], "mip": [-1, -1]}"""),
            ("c", """{"title": "apple banana cherry dates", "v": [1, 1], "dot": [0.6, 0.8], "l2": [1, 1], "mip": [0.5, 0]}"""),
            ("d", """{"title": "cherry", "v": [-1, 0], "dot": [-0.8, -0.6]}"""),
            ("e", """{"title": "apple"}"""),
        ]);

    public void Dispose() => _index.Dispose();

    public static TheoryData<string, string, string[], double[]> Similarities => new()
    {
        // cosine: (1 + cos) / 2 with cos(q, a) = 1, cos(q, c) = 1/sqrt(2), cos(q, b) = 0, cos(q, d) = -1.
        { "v", "[1, 0]", ["a", "c", "b", "d"], [1.0, (1 + (1 / Math.Sqrt(2))) / 2, 0.5, 0.0] },
        // dot_product: (1 + dot) / 2 with dots 1.0 (c), 0.8 (b), 0.6 (a), -0.96 (d).
        { "dot", "[0.6, 0.8]", ["c", "b", "a", "d"], [1.0, 0.9, 0.8, 0.02] },
        // l2_norm: 1 / (1 + l2^2) with squared distances 0 (a), 2 (c), 25 (b).
        { "l2", "[0, 0]", ["a", "c", "b"], [1.0, 1.0 / 3, 1.0 / 26] },
        // max_inner_product: dot + 1 for dot >= 0 (a: 3, c: 0.5), 1 / (1 - dot) below (b: -2).
        { "mip", "[1, 1]", ["a", "c", "b"], [4.0, 1.5, 1.0 / 3] },
    };

    [Theory]
    [MemberData(nameof(Similarities))]
    public void Search_Knn_ScoresWithTheFieldsSimilarity(string field, string vector, string[] ids, double[] scores)
    {
        var response = Search($$$"""{"knn": {"field": "{{{field}}}", "query_vector": {{{vector}}}, "k": 10, "num_candidates": 10}}""");

        Assert.Equal(ids, SearchExecutorTests.Ids(response));
        Assert.Equal(scores, Scores(response), new ApproximateComparer(1e-6));
        SearchAssert.Json($$$"""{"value": {{{ids.Length}}}, "relation": "eq"}""", response["hits"]!["total"]);
        Assert.Equal(scores[0], SearchAssert.Number(response["hits"]!["max_score"]), 1e-6);
    }

    [Fact]
    public void Search_KnnWithoutK_TakesKFromSize()
    {
        var response = Search("""{"knn": {"field": "v", "query_vector": [1, 0]}, "size": 2}""");

        Assert.Equal(["a", "c"], SearchExecutorTests.Ids(response));
        Assert.Equal(2, SearchAssert.Number(response["hits"]!["total"]!["value"]));
    }

    [Fact]
    public void Search_KnnSimilarity_KeepsOnlyDocumentsAtLeastThatSimilar()
    {
        // cosine 0.5 means a score of at least (1 + 0.5) / 2 = 0.75: a (1.0) and c (0.854), not b (0.5).
        Assert.Equal(["a", "c"], SearchExecutorTests.Ids(Search("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 10, "similarity": 0.5}}""")));
        // l2_norm's similarity is a distance: within 1.5 of the origin are a (0) and c (1.414), not b (5).
        Assert.Equal(["a", "c"], SearchExecutorTests.Ids(Search("""{"knn": {"field": "l2", "query_vector": [0, 0], "k": 10, "similarity": 1.5}}""")));
    }

    [Fact]
    public void Search_KnnBoost_MultipliesTheScore()
    {
        Assert.Equal([2.0], Scores(Search("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 1, "boost": 2}}""")), new ApproximateComparer(1e-6));
    }

    [Fact]
    public void Search_QueryAndKnn_SumTheirScoresOverTheUnion()
    {
        // BM25 of "apple" (N = 5, df = 3, avgdl = 8/5, Lucene 4.8's formula with (k1 + 1)): 0.63666701 for the
        // one-term titles a and e, 0.33402600 for the four-term title c; knn k = 2 adds a: 1.0 and c: 0.85355339.
        var response = Search("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 2}}""", ("q", "title:apple"));

        Assert.Equal(["a", "c", "e"], SearchExecutorTests.Ids(response));
        Assert.Equal([1.6366670, 1.1875794, 0.6366670], Scores(response), new ApproximateComparer(1e-5));
        Assert.Equal(3, SearchAssert.Number(response["hits"]!["total"]!["value"]));
    }

    [Fact]
    public void Search_SeveralKnnSearches_AddTheirHits()
    {
        var response = Search("""{"knn": [{"field": "v", "query_vector": [1, 0], "k": 1}, {"field": "v", "query_vector": [0, 1], "k": 1, "boost": 0.5}]}""");

        Assert.Equal(["a", "b"], SearchExecutorTests.Ids(response));
        Assert.Equal([1.0, 0.5], Scores(response), new ApproximateComparer(1e-6));
    }

    [Fact]
    public void Search_KnnOverSeveralIndices_KeepsTheGlobalNearest()
    {
        using var other = new TestIndex("other", """{"properties": {"v": {"type": "dense_vector", "dims": 2, "similarity": "cosine"}}}""", [("x", """{"v": [0.9, 0.1]}"""), ("y", """{"v": [0, -1]}""")]);

        var response = SearchExecutor.Search(
            [_index.Target, other.Target],
            SearchExecutorTests.Body("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 2}}"""),
            SearchParameters.None,
            CancellationToken.None);

        // a: 1.0; x: (1 + 0.9 / sqrt(0.82)) / 2 = 0.99694187; then c (0.854) is third.
        Assert.Equal(["a", "x"], SearchExecutorTests.Ids(response));
        Assert.Equal(["vectors", "other"], SearchExecutorTests.Hits(response).Select(h => h!["_index"]!.GetValue<string>()));
        Assert.Equal([1.0, 0.99694187], Scores(response), new ApproximateComparer(1e-6));
        SearchAssert.Json("""{"total": 2, "successful": 2, "skipped": 0, "failed": 0}""", response["_shards"]);
    }

    [Fact]
    public void Search_KnnFieldMissingInOneIndex_FailsThatIndexOnly()
    {
        using var other = new TestIndex("other", """{"properties": {"k": {"type": "keyword"}}}""", [("x", """{"k": "a"}""")]);

        var response = SearchExecutor.Search(
            [_index.Target, other.Target],
            SearchExecutorTests.Body("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 1}}"""),
            SearchParameters.None,
            CancellationToken.None);

        Assert.Equal(["a"], SearchExecutorTests.Ids(response));
        SearchAssert.Json($$$"""
            {"total": 2, "successful": 1, "skipped": 0, "failed": 1, "failures": [
              {"shard": 0, "index": "other", "node": "{{{SearchExecutor.NodeId}}}",
               "reason": {"type": "query_shard_exception", "reason": "failed to create query: field [v] does not exist in the mapping",
                          "index_uuid": "{{{Rerank.LuceneBaseline.Engine.Errors.EngineException.StableUuid("other")}}}", "index": "other",
                          "caused_by": {"type": "illegal_argument_exception", "reason": "field [v] does not exist in the mapping"} } }]}
            """, response["_shards"]);
    }

    [Theory]
    [InlineData("u", "[1, 0]", "to perform knn search on field [u], its mapping must have [index] set to [true]")]
    [InlineData("title", "[1, 0]", "[knn] queries are only supported on [dense_vector] fields")]
    [InlineData("nope", "[1, 0]", "field [nope] does not exist in the mapping")]
    [InlineData("v", "[1, 0, 0]", "the query vector has a different dimension [3] than the index vectors [2]")]
    [InlineData("v", "[0, 0]", "The [cosine] similarity does not support vectors with zero magnitude. Preview of invalid vector: [0.0, 0.0]")]
    [InlineData("dot", "[1, 1]", "The [dot_product] similarity can only be used with unit-length vectors. Preview of invalid vector: [1.0, 1.0]")]
    public void Search_KnnOnAnUnusableField_FailsTheShardLikeElasticsearch(string field, string vector, string cause)
    {
        var error = SearchAssert.PhaseError(
            () => Search($$$"""{"knn": {"field": "{{{field}}}", "query_vector": {{{vector}}}, "k": 1}}"""),
            "query_shard_exception",
            "failed to create query: " + cause,
            phase: "dfs");

        SearchAssert.Json($$$"""{"type": "illegal_argument_exception", "reason": "{{{cause}}}"}""", error.Extra!["caused_by"]!["caused_by"]);
    }

    [Theory]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 0}}""", "illegal_argument_exception", "[k] must be greater than 0")]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 5, "num_candidates": 3}}""", "illegal_argument_exception", "[num_candidates] cannot be less than [k]")]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 5, "num_candidates": 10001}}""", "illegal_argument_exception", "[num_candidates] cannot exceed [10000]")]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 10001}}""", "illegal_argument_exception", "[num_candidates] cannot be less than [k]")]
    [InlineData("""{"knn": {"field": "v", "k": 1}}""", "illegal_argument_exception", "either [query_vector_builder] or [query_vector] must be provided")]
    [InlineData("""{"knn": {"query_vector": [1, 0], "k": 1}}""", "illegal_argument_exception", "Required [field]")]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "foo": 1}}""", "x_content_parse_exception", "[knn] unknown field [foo]")]
    [InlineData("""{"knn": [1]}""", "x_content_parse_exception", "malformed knn format, within the knn search array only objects are allowed; found VALUE_NUMBER")]
    [InlineData("""{"knn": {"field": "v", "query_vector": [1, 0], "query_vector_builder": {}}}""", "illegal_argument_exception", "[query_vector_builder] in [knn] is not supported by the embedded engine")]
    public void Search_InvalidKnn_IsRefusedBeforeSearching(string body, string type, string reason)
    {
        SearchAssert.Error(() => Search(body), 400, type, reason);
    }

    [Fact]
    public void Search_KnnDefaultNumCandidates_IsOnePointFiveTimesKRoundedHalfUp()
    {
        // k = 3 gives Math.round(4.5) = 5 candidates in Java; k = 5 with 5 candidates given is valid.
        Assert.Equal(3, SearchExecutorTests.Ids(Search("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 3}}""")).Count);
        Assert.Equal(4, SearchExecutorTests.Ids(Search("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 5, "num_candidates": 5}}""")).Count);
    }

    private static List<double> Scores(JsonObject response) => [.. SearchExecutorTests.Hits(response).Select(h => SearchAssert.Number(h!["_score"]))];

    private JsonObject Search(string body, params (string Name, string Value)[] url) => _index.Search(body, url);
}
