using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class SearchExecutorTests : IDisposable
{
    private readonly TestIndex _books = Books.Open();

    public void Dispose() => _books.Dispose();

    [Fact]
    public void Search_NoBody_ReturnsEveryDocumentInElasticsearchsShape()
    {
        var response = Search(null);

        Assert.True(SearchAssert.Number(response["took"]) >= 0);
        response.Remove("took");
        SearchAssert.Json("""
            {"timed_out": false,
             "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
             "hits": {"total": {"value": 4, "relation": "eq"}, "max_score": 1.0, "hits": [
               {"_index": "books", "_id": "1", "_score": 1.0, "_source": {"title":"apple pie","tag":"food","year":2001,"price":2.5,"published":"2020-01-01","active":true}},
               {"_index": "books", "_id": "2", "_score": 1.0, "_source": {"title":"banana split","tag":"food","year":1999,"price":4.0,"active":false}},
               {"_index": "books", "_id": "3", "_score": 1.0, "_source": {"title":"cherry tree","tag":"plant","year":2010,"published":"2021-06-15T10:00:00Z"}},
               {"_index": "books", "_id": "4", "_score": 1.0, "_source": {"title":"apple tree","year":2001}}]}}
            """, response);
    }

    [Fact]
    public void Search_FromAndSize_ReturnsThatPage()
    {
        Assert.Equal(["2", "3"], Ids(Search("""{"from": 1, "size": 2}""")));
        Assert.Equal(["4"], Ids(Search("""{"from": 3}""")));
        Assert.Empty(Ids(Search("""{"from": 4}""")));
    }

    [Fact]
    public void Search_UrlFromAndSize_OverrideTheBody()
    {
        var response = Search("""{"from": 0, "size": 1}""", ("from", "2"), ("size", "5"));

        Assert.Equal(["3", "4"], Ids(response));
    }

    [Fact]
    public void Search_SizeZero_HasNoHitsAndNullMaxScore()
    {
        SearchAssert.Json("""{"total": {"value": 4, "relation": "eq"}, "max_score": null, "hits": []}""", Search("""{"size": 0}""")["hits"]);
    }

    [Theory]
    [InlineData("""{"track_total_hits": 2}""", """{"value": 2, "relation": "gte"}""")]
    [InlineData("""{"track_total_hits": 4}""", """{"value": 4, "relation": "eq"}""")]
    [InlineData("""{"track_total_hits": true}""", """{"value": 4, "relation": "eq"}""")]
    [InlineData("""{"track_total_hits": "true"}""", """{"value": 4, "relation": "eq"}""")]
    public void Search_TrackTotalHits_CountsUpToTheLimit(string body, string expectedTotal)
    {
        SearchAssert.Json(expectedTotal, Search(body)["hits"]!["total"]);
    }

    [Fact]
    public void Search_TrackTotalHitsFalse_LeavesTotalOut()
    {
        var hits = Search("""{"track_total_hits": false}""")["hits"]!.AsObject();

        Assert.False(hits.ContainsKey("total"));
        Assert.Equal(4, hits["hits"]!.AsArray().Count);
    }

    [Fact]
    public void Search_RestTotalHitsAsInt_WritesTheTotalAsANumber()
    {
        Assert.Equal(4, SearchAssert.Number(Search(null, ("rest_total_hits_as_int", "true"))["hits"]!["total"]));
        Assert.Equal(-1, SearchAssert.Number(Search("""{"track_total_hits": false}""", ("rest_total_hits_as_int", "true"))["hits"]!["total"]));
    }

    [Fact]
    public void Search_RestTotalHitsAsIntWithALimit_IsRefused()
    {
        SearchAssert.Error(
            () => Search("""{"track_total_hits": 100}""", ("rest_total_hits_as_int", "true")),
            400,
            "illegal_argument_exception",
            "[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got 100");
    }

    [Fact]
    public void Search_VersionAndSeqNo_AreReportedPerHit()
    {
        var hit = Hits(Search("""{"version": true, "seq_no_primary_term": true, "size": 1, "from": 2}"""))[0]!;

        SearchAssert.Json("""
            {"_index": "books", "_id": "3", "_version": 1, "_seq_no": 2, "_primary_term": 1, "_score": 1.0,
             "_source": {"title":"cherry tree","tag":"plant","year":2010,"published":"2021-06-15T10:00:00Z"}}
            """, hit);
    }

    [Fact]
    public void Search_StoredFieldsNone_ReturnsNeitherIdNorSource()
    {
        SearchAssert.Json("""{"_index": "books", "_score": 1.0}""", Hits(Search("""{"stored_fields": "_none_", "size": 1}"""))[0]);
    }

    [Fact]
    public void Search_StoredFieldsNoneWithSource_FailsValidation()
    {
        SearchAssert.Error(
            () => Search("""{"stored_fields": "_none_", "_source": true}"""),
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: [stored_fields] cannot be disabled if [_source] is requested;");
    }

    [Fact]
    public void Search_StoredFieldsNamed_ReturnsNoSourceUnlessAsked()
    {
        SearchAssert.Json("""{"_index": "books", "_id": "1", "_score": 1.0}""", Hits(Search("""{"stored_fields": ["title"], "size": 1}"""))[0]);
        Assert.NotNull(Hits(Search("""{"stored_fields": ["title"], "_source": true, "size": 1}"""))[0]!["_source"]);
    }

    [Fact]
    public void Search_SourceOptions_FilterTheSource()
    {
        Assert.Null(Hits(Search("""{"_source": false, "size": 1}"""))[0]!["_source"]);
        SearchAssert.Json("""{"title": "apple pie"}""", Hits(Search("""{"_source": "title", "size": 1}"""))[0]!["_source"]);
        SearchAssert.Json("""{"year": 2001, "price": 2.5}""", Hits(Search("""{"_source": ["year", "pr*"], "size": 1}"""))[0]!["_source"]);
        SearchAssert.Json(
            """{"title":"apple pie","year":2001,"price":2.5,"published":"2020-01-01"}""",
            Hits(Search("""{"_source": {"excludes": ["tag", "active"]}, "size": 1}"""))[0]!["_source"]);
    }

    [Fact]
    public void Search_UrlSourceParameters_FilterTheSource()
    {
        Assert.Null(Hits(Search(null, ("_source", "false")))[0]!["_source"]);
        SearchAssert.Json("""{"title": "apple pie", "tag": "food"}""", Hits(Search(null, ("_source", "title,tag")))[0]!["_source"]);
        SearchAssert.Json("""{"title": "apple pie"}""", Hits(Search(null, ("_source_includes", "t*"), ("_source_excludes", "tag")))[0]!["_source"]);
    }

    [Fact]
    public void Search_MinScoreAboveEveryScore_MatchesNothing()
    {
        SearchAssert.Json("""{"total": {"value": 0, "relation": "eq"}, "max_score": null, "hits": []}""", Search("""{"min_score": 1.5}""")["hits"]);
        Assert.Equal(4, Ids(Search("""{"min_score": 1.0}""")).Count);
    }

    [Fact]
    public void Search_TerminateAfter_StopsCollectingAndSaysSo()
    {
        var response = Search("""{"terminate_after": 2}""");

        Assert.True(response["terminated_early"]!.GetValue<bool>());
        Assert.Equal(2, SearchAssert.Number(response["hits"]!["total"]!["value"]));
        Assert.Equal(["1", "2"], Ids(response));
        Assert.False(Search("""{"terminate_after": 10}""")["terminated_early"]!.GetValue<bool>());
        Assert.False(Search(null).ContainsKey("terminated_early"));
    }

    [Fact]
    public void Search_Explain_AddsShardNodeAndExplanation()
    {
        var hit = Hits(Search("""{"explain": true, "size": 1}"""))[0]!;

        Assert.Equal("[books][0]", hit["_shard"]!.GetValue<string>());
        Assert.Equal(SearchExecutor.NodeId, hit["_node"]!.GetValue<string>());
        Assert.Equal(1.0, SearchAssert.Number(hit["_explanation"]!["value"]));
        Assert.NotNull(hit["_explanation"]!["description"]);
        Assert.NotNull(hit["_explanation"]!["details"]!.AsArray());
    }

    [Fact]
    public void Search_FromPlusSizeAboveTheWindow_FailsEveryShardWithElasticsearchsMessage()
    {
        const string reason = "Result window is too large, from + size must be less than or equal to: [10000] but was [10001]. "
            + "See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "
            + "[index.max_result_window] index level setting.";

        var error = SearchAssert.PhaseError(() => Search("""{"from": 10000, "size": 1}"""), "illegal_argument_exception", reason);

        SearchAssert.Json($$$"""
            [{"shard": 0, "index": "books", "node": "{{{SearchExecutor.NodeId}}}", "reason": {"type": "illegal_argument_exception", "reason": "{{{reason}}}"}}]
            """, error.Extra!["failed_shards"]);
        SearchAssert.Json($$$"""
            {"type": "illegal_argument_exception", "reason": "{{{reason}}}", "caused_by": {"type": "illegal_argument_exception", "reason": "{{{reason}}}"}}
            """, error.Extra["caused_by"]);
        Assert.True(error.Extra["grouped"]!.GetValue<bool>());
    }

    [Fact]
    public void Search_IndexResultWindow_IsTheIndexSetting()
    {
        using var small = Books.Open("small", maxResultWindow: 3);

        SearchAssert.PhaseError(
            () => SearchExecutor.Search([small.Target], Body("""{"size": 4}"""), SearchParameters.None, CancellationToken.None),
            "illegal_argument_exception",
            "Result window is too large, from + size must be less than or equal to: [3] but was [4]. See the scroll api for a more "
            + "efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.");
    }

    [Fact]
    public void Count_NoBody_CountsEveryDocument()
    {
        SearchAssert.Json(
            """{"count": 4, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}""",
            SearchExecutor.Count([_books.Target], null, SearchParameters.None, CancellationToken.None));
    }

    [Fact]
    public void Count_BodyWithOtherKeys_IsRefused()
    {
        SearchAssert.Error(
            () => SearchExecutor.Count([_books.Target], Body("""{"size": 1}"""), SearchParameters.None, CancellationToken.None),
            400,
            "parsing_exception",
            "request does not support [size]");
    }

    [Fact]
    public void Count_TerminateAfter_ReportsEarlyTermination()
    {
        var parameters = new SearchParameters { Values = new Dictionary<string, string> { ["terminate_after"] = "3" }, Path = "/books/_count" };

        SearchAssert.Json(
            """{"count": 3, "terminated_early": true, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}""",
            SearchExecutor.Count([_books.Target], null, parameters, CancellationToken.None));
    }

    [Fact]
    public void Search_NoTargets_AnswersEmpty()
    {
        var response = SearchExecutor.Search([], null, SearchParameters.None, CancellationToken.None);

        SearchAssert.Json("""{"total": 0, "successful": 0, "skipped": 0, "failed": 0}""", response["_shards"]);
        SearchAssert.Json("""{"total": {"value": 0, "relation": "eq"}, "max_score": null, "hits": []}""", response["hits"]);
    }

    [Fact]
    public void Search_TimeoutPassed_ReturnsWhatWasCollectedAndSaysSo()
    {
        using var large = new TestIndex("large", Books.Mapping, Enumerable.Range(0, 3000).Select(i => (i.ToString(), """{"year": 1}""")));

        // The clock is checked every 1,024 documents; a zero timeout has passed at the first check.
        var timedOut = SearchExecutor.Search([large.Target], Body("""{"timeout": "0ms"}"""), SearchParameters.None, CancellationToken.None);
        Assert.True(timedOut["timed_out"]!.GetValue<bool>());
        Assert.Equal(1023, SearchAssert.Number(timedOut["hits"]!["total"]!["value"]));

        var inTime = SearchExecutor.Search([large.Target], Body("""{"timeout": "1m"}"""), SearchParameters.None, CancellationToken.None);
        Assert.False(inTime["timed_out"]!.GetValue<bool>());
        Assert.Equal(3000, SearchAssert.Number(inTime["hits"]!["total"]!["value"]));
    }

    [Fact]
    public void Search_CancelledToken_Throws()
    {
        using var large = new TestIndex("large", Books.Mapping, Enumerable.Range(0, 3000).Select(i => (i.ToString(), """{"year": 1}""")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SearchExecutor.Search([large.Target], null, SearchParameters.None, cancelled.Token));
    }

    internal static JsonObject? Body(string? json) => json is null ? null : JsonNode.Parse(json)!.AsObject();

    internal static List<string> Ids(JsonObject response) => [.. Hits(response).Select(h => h!["_id"]!.GetValue<string>())];

    internal static JsonArray Hits(JsonObject response) => response["hits"]!["hits"]!.AsArray();

    private JsonObject Search(string? body, params (string Name, string Value)[] url) => _books.Search(body, url);
}
