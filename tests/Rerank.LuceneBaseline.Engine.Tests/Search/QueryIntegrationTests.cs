using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>The search request's query-DSL parts (query, post_filter, knn filter, filter aggregation) end to end.</summary>
public sealed class QueryIntegrationTests : IDisposable
{
    // BM25 of "apple" in the two-term titles 1 and 4 (see UrlQueryTests): ln 2.
    private const double AppleScore = 0.6931472;

    private readonly TestIndex _books = Books.Open();

    public void Dispose() => _books.Dispose();

    [Fact]
    public void Search_MatchQuery_ScoresWithBm25()
    {
        var response = Search("""{"query": {"match": {"title": "apple"}}}""");

        Assert.Equal(["1", "4"], SearchExecutorTests.Ids(response));
        Assert.All(SearchExecutorTests.Hits(response), h => Assert.Equal(AppleScore, SearchAssert.Number(h!["_score"]), 1e-6));
        Assert.Equal(AppleScore, SearchAssert.Number(response["hits"]!["max_score"]), 1e-6);
    }

    [Fact]
    public void Search_PostFilter_FiltersHitsButNotAggregations()
    {
        var response = Search("""{"post_filter": {"term": {"tag": "food"}}, "aggs": {"tags": {"terms": {"field": "tag"}}}}""");

        Assert.Equal(["1", "2"], SearchExecutorTests.Ids(response));
        Assert.Equal(2, SearchAssert.Number(response["hits"]!["total"]!["value"]));
        SearchAssert.Json(
            """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 2}, {"key": "plant", "doc_count": 1}]}""",
            response["aggregations"]!["tags"]);
    }

    [Fact]
    public void Search_QueryFilters_AlsoTheAggregations()
    {
        SearchAssert.Json(
            """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 2}]}""",
            Search("""{"query": {"term": {"tag": "food"}}, "aggs": {"tags": {"terms": {"field": "tag"}}}}""")["aggregations"]!["tags"]);
    }

    [Fact]
    public void Search_FilterAggregation_CountsItsDocumentsAndRunsSubAggregations()
    {
        SearchAssert.Json(
            """{"doc_count": 2, "y": {"value": 2001.0}}""",
            Search("""{"size": 0, "aggs": {"f": {"filter": {"term": {"tag": "food"}}, "aggs": {"y": {"max": {"field": "year"}}}}}}""")["aggregations"]!["f"]);
    }

    [Fact]
    public void Search_MinScore_DropsLowerScores()
    {
        Assert.Empty(SearchExecutorTests.Ids(Search("""{"query": {"match": {"title": "apple"}}, "min_score": 0.7}""")));
        Assert.Equal(["1", "4"], SearchExecutorTests.Ids(Search("""{"query": {"match": {"title": "apple"}}, "min_score": 0.6}""")));
    }

    [Fact]
    public void Search_QParameter_ReplacesTheBodyQuery()
    {
        Assert.Equal(["3"], SearchExecutorTests.Ids(Search("""{"query": {"match_all": {}}}""", ("q", "tag:plant"))));
    }

    [Fact]
    public void Search_ScoreThenDocSort_PagesWithSearchAfter()
    {
        var page1 = Search("""{"query": {"match": {"title": "apple tree"}}, "sort": ["_score", "_doc"], "size": 1}""");
        var first = SearchExecutorTests.Hits(page1)[0]!;
        Assert.Equal("4", first["_id"]!.GetValue<string>());

        var page2 = Search($$$"""{"query": {"match": {"title": "apple tree"}}, "sort": ["_score", "_doc"], "size": 5, "search_after": {{{first["sort"]!.ToJsonString()}}} }""");
        Assert.Equal(["1", "3"], SearchExecutorTests.Ids(page2));
    }

    [Fact]
    public void Search_Explain_GivesTheScoreAsTheExplanationValue()
    {
        var hit = SearchExecutorTests.Hits(Search("""{"query": {"match": {"title": "apple"}}, "explain": true, "size": 1}"""))[0]!;

        Assert.Equal(SearchAssert.Number(hit["_score"]), SearchAssert.Number(hit["_explanation"]!["value"]), 1e-6);
    }

    [Fact]
    public void Search_UnknownQuery_IsARequestError()
    {
        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(() => Search("""{"query": {"foo": {}}}"""));

        Assert.Equal(("parsing_exception", 400), (error.Type, error.Status));
        Assert.StartsWith("unknown query [foo]", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_UnsupportedQuery_IsRefusedNamingIt()
    {
        SearchAssert.Error(() => Search("""{"query": {"fuzzy": {"title": "x"}}}"""), 400, "illegal_argument_exception", "query [fuzzy] is not supported by the embedded engine");
    }

    [Fact]
    public void Search_QueryTheMappingRejects_FailsTheShard()
    {
        SearchAssert.PhaseError(() => Search("""{"query": {"term": {"year": "abc"}}}"""), "query_shard_exception", "failed to create query: For input string: \"abc\"");
    }

    [Fact]
    public void Search_QueryFailingWithAnElasticsearchCause_ReportsThatCauseAsTheRoot()
    {
        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(() => Search("""{"query": {"range": {"published": {"gte": "abc"}}}}"""));

        // Elasticsearch's guessRootCauses: the parse_exception under the query_shard_exception is the root cause.
        Assert.Equal("search_phase_execution_exception", error.Type);
        Assert.Equal("parse_exception", error.RootCause!.Type);
        Assert.Equal("parse_exception", error.Extra!["root_cause"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("parse_exception", error.Extra["caused_by"]!["type"]!.GetValue<string>());
        Assert.Equal("query_shard_exception", error.Extra["failed_shards"]![0]!["reason"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Count_Query_CountsMatches()
    {
        Assert.Equal(2, SearchAssert.Number(SearchExecutor.Count([_books.Target], SearchExecutorTests.Body("""{"query": {"term": {"tag": "food"}}}"""), SearchParameters.None, CancellationToken.None)["count"]));
    }

    [Fact]
    public void Search_KnnFilterAndQuery_CombineAsElasticsearchDoes()
    {
        using var index = new TestIndex(
            "vectors",
            """{"properties": {"title": {"type": "text"}, "v": {"type": "dense_vector", "dims": 2, "similarity": "cosine"}}}""",
            [
                ("a", """{"title": "apple", "v": [1, 0]}"""),
                ("b", """{"title": "banana", "v": [0, 1]}"""),
                ("c", """{"title": "apple banana cherry dates", "v": [1, 1]}"""),
                ("d", """{"title": "cherry", "v": [-1, 0]}"""),
                ("e", """{"title": "apple"}"""),
            ]);

        // The filter restricts the candidates before the nearest are chosen: b (0.5) is not one.
        var filtered = SearchExecutor.Search(
            [index.Target],
            SearchExecutorTests.Body("""{"knn": {"field": "v", "query_vector": [1, 0], "k": 10, "filter": {"match": {"title": "apple"}}}}"""),
            SearchParameters.None,
            CancellationToken.None);
        Assert.Equal(["a", "c"], SearchExecutorTests.Ids(filtered));

        // query + knn: the BM25 score (0.63666701 for a and e, 0.33402600 for c, see KnnTests) plus the knn score.
        var hybrid = SearchExecutor.Search(
            [index.Target],
            SearchExecutorTests.Body("""{"query": {"match": {"title": "apple"}}, "knn": {"field": "v", "query_vector": [1, 0], "k": 2, "boost": 2}}"""),
            SearchParameters.None,
            CancellationToken.None);
        Assert.Equal(["a", "c", "e"], SearchExecutorTests.Ids(hybrid));
        Assert.Equal(
            [0.6366670 + 2.0, 0.3340260 + (2 * 0.85355339), 0.6366670],
            SearchExecutorTests.Hits(hybrid).Select(h => SearchAssert.Number(h!["_score"])),
            new ApproximateComparer(1e-5));
    }

    private JsonObject Search(string body, params (string Name, string Value)[] url) => _books.Search(body, url);
}
