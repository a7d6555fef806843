using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class MultiIndexTests : IDisposable
{
    private const string TitleMapping = """{"properties": {"title": {"type": "text"}, "x": {"type": "keyword"}, "year": {"type": "long"}}}""";

    private readonly TestIndex _first = new("first", TitleMapping, [("a1", """{"title": "apple", "year": 2005}"""), ("a2", """{"title": "banana", "year": 1990}""")]);
    private readonly TestIndex _second = new(
        "second",
        TitleMapping,
        [("b1", """{"title": "apple", "year": 2000}"""), ("b2", """{"title": "cherry"}"""), ("b3", """{"title": "dates"}"""), ("b4", """{"title": "figs", "year": 1995}""")]);

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public void Search_TwoIndices_MergesEqualScoresByIndexThenDocument()
    {
        var response = Search(null, _first, _second);

        Assert.Equal(["a1", "a2", "b1", "b2", "b3", "b4"], SearchExecutorTests.Ids(response));
        Assert.Equal(["first", "first", "second", "second", "second", "second"], SearchExecutorTests.Hits(response).Select(h => h!["_index"]!.GetValue<string>()));
        SearchAssert.Json("""{"total": 2, "successful": 2, "skipped": 0, "failed": 0}""", response["_shards"]);
        SearchAssert.Json("""{"value": 6, "relation": "eq"}""", response["hits"]!["total"]);
    }

    [Fact]
    public void Search_TwoIndicesSortedByField_InterleavesByTheSort()
    {
        var response = Search("""{"sort": {"year": "asc"}, "size": 4}""", _first, _second);

        Assert.Equal(["a2", "b4", "b1", "a1"], SearchExecutorTests.Ids(response));
    }

    [Fact]
    public void Search_Pages_AreCutAfterTheMerge()
    {
        Assert.Equal(["b1", "b2"], SearchExecutorTests.Ids(Search("""{"from": 2, "size": 2}""", _first, _second)));
    }

    [Fact]
    public void Search_PerIndexStatistics_ScoreEachIndexOnItsOwn()
    {
        // first: N = 2, df = 1 -> idf ln 2; second: N = 4, df = 1 -> idf ln(1 + 3.5/1.5); one-term titles score idf.
        var response = Search(null, _first, _second, ("q", "title:apple"));

        Assert.Equal(["b1", "a1"], SearchExecutorTests.Ids(response));
        Assert.Equal([1.2039728, 0.6931472], Scores(response), new ApproximateComparer(1e-6));
    }

    [Fact]
    public void Search_DfsQueryThenFetch_ScoresWithStatisticsOverAllIndices()
    {
        // N = 6, df = 2 -> idf ln(1 + 4.5/2.5) = ln 2.8 for both: a tie, broken by index order.
        var response = Search(null, _first, _second, ("q", "title:apple"), ("search_type", "dfs_query_then_fetch"));

        Assert.Equal(["a1", "b1"], SearchExecutorTests.Ids(response));
        Assert.Equal([1.0296194, 1.0296194], Scores(response), new ApproximateComparer(1e-6));
    }

    [Fact]
    public void Search_OneIndexFails_TheOtherStillAnswers()
    {
        using var small = Books.Open("small", maxResultWindow: 2);

        var response = Search("""{"size": 3}""", small, _first);

        Assert.Equal(["a1", "a2"], SearchExecutorTests.Ids(response));
        const string reason = "Result window is too large, from + size must be less than or equal to: [2] but was [3]. See the scroll api for a more "
            + "efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.";
        SearchAssert.Json($$$"""
            {"total": 2, "successful": 1, "skipped": 0, "failed": 1, "failures": [
              {"shard": 0, "index": "small", "node": "{{{SearchExecutor.NodeId}}}", "reason": {"type": "illegal_argument_exception", "reason": "{{{reason}}}"} } ]}
            """, response["_shards"]);
    }

    [Fact]
    public void Search_OneIndexFailsWithoutPartialResults_FailsTheRequest()
    {
        using var small = Books.Open("small", maxResultWindow: 2);

        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(() => Search("""{"size": 3}""", small, _first, ("allow_partial_search_results", "false")));

        Assert.Equal(("search_phase_execution_exception", "Partial shards failure", 400), (error.Type, error.Reason, error.Status));
    }

    [Fact]
    public void Search_EveryIndexFails_ListsEachAsARootCause()
    {
        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(() => Search("""{"sort": "title"}""", _first, _second));

        Assert.Equal(("search_phase_execution_exception", "all shards failed"), (error.Type, error.Reason));
        Assert.Equal(["first", "second"], error.Extra!["failed_shards"]!.AsArray().Select(f => f!["index"]!.GetValue<string>()));
        Assert.Equal(2, error.Extra["root_cause"]!.AsArray().Count);
        Assert.Equal("illegal_argument_exception", error.RootCause!.Type);
    }

    [Fact]
    public void Search_ShardFailure_ReportsTheTargetsIndexUuid()
    {
        var target = _first.Target with { IndexUuid = "uuid-of-first" };

        var error = SearchAssert.PhaseError(
            () => SearchExecutor.Search([target], SearchExecutorTests.Body("""{"sort": "nope"}"""), SearchParameters.None, CancellationToken.None),
            "query_shard_exception",
            "No mapping found for [nope] in order to sort on");

        SearchAssert.Json(
            """{"type": "query_shard_exception", "reason": "No mapping found for [nope] in order to sort on", "index_uuid": "uuid-of-first", "index": "first"}""",
            error.Extra!["root_cause"]![0]);
    }

    [Fact]
    public void Search_SortOnAFieldOfDifferentTypes_IsRefused()
    {
        using var other = new TestIndex("other", """{"properties": {"x": {"type": "long"}}}""", [("o1", """{"x": 5}""")]);
        using var keyed = new TestIndex("keyed", TitleMapping, [("k1", """{"x": "five"}""")]);

        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(() => Search("""{"sort": "x"}""", keyed, other));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.StartsWith("Can't sort on field [x]; the field has incompatible sort types: ", error.Reason, StringComparison.Ordinal);
    }

    private static List<double> Scores(JsonObject response) => [.. SearchExecutorTests.Hits(response).Select(h => SearchAssert.Number(h!["_score"]))];

    private static JsonObject Search(string? body, TestIndex a, TestIndex b, params (string Name, string Value)[] url) =>
        SearchExecutor.Search(
            [a.Target, b.Target],
            SearchExecutorTests.Body(body),
            new SearchParameters { Values = url.ToDictionary(p => p.Name, p => p.Value), Path = "/first,second/_search" },
            CancellationToken.None);
}
