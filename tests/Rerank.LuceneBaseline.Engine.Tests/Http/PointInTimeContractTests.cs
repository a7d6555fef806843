using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// Point in time over real HTTP: <c>POST /{index}/_pit</c>, <c>_search</c> with <c>pit</c>, <c>search_after</c> with
/// the <c>_shard_doc</c> tiebreak, <c>slice</c>, <c>DELETE /_pit</c>, expiry and Elasticsearch's errors.
/// </summary>
public sealed class PointInTimeContractTests
{
    private const int Documents = 23;

    private static async Task SeedAsync(EngineServer engine, string index = "books", int count = Documents, int firstId = 0)
    {
        var ndjson = new System.Text.StringBuilder();
        for (var i = firstId; i < firstId + count; i++)
        {
            ndjson.Append("{\"index\":{\"_id\":\"d").Append(i).Append("\"}}\n");
            ndjson.Append($$"""{"n":{{i % 5}},"title":"doc {{i}}"}""").Append('\n');
        }

        var response = await engine.BulkAsync($"/{index}/_bulk?refresh=true", ndjson.ToString());
        Assert.Equal(200, response.StatusCode);
    }

    private static async Task<string> OpenAsync(EngineServer engine, string index = "books", string keepAlive = "1m")
    {
        var response = await engine.PostAsync($"/{index}/_pit?keep_alive={keepAlive}");
        Assert.Equal(200, response.StatusCode);
        return (string)response.Json["id"]!;
    }

    private static string PitBody(string id, string rest) => $$"""{"pit":{"id":"{{id}}","keep_alive":"1m"}{{rest}}}""";

    [Fact]
    public async Task Open_AnswersIdAndShards()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);

        var response = await engine.PostAsync("/books/_pit?keep_alive=1m");

        Assert.Equal(200, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)response.Json["id"]));
        SearchAssertJson("""{"total":1,"successful":1,"skipped":0,"failed":0}""", response.Json["_shards"]);
    }

    [Fact]
    public async Task Search_ThroughPit_DoesNotSeeWritesMadeAfterOpening()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);
        var id = await OpenAsync(engine);

        await engine.DeleteAsync("/books/_doc/d0?refresh=true");
        await SeedAsync(engine, count: 4, firstId: 100);

        var pit = await engine.PostAsync("/_search", PitBody(id, ""","size":0,"track_total_hits":true"""));
        var live = await engine.PostAsync("/books/_search", """{"size":0,"track_total_hits":true}""");
        Assert.Equal(200, pit.StatusCode);
        Assert.Equal(Documents, (int)pit.Json["hits"]!["total"]!["value"]!);
        Assert.Equal(Documents - 1 + 4, (int)live.Json["hits"]!["total"]!["value"]!);
        Assert.Equal(id, (string?)pit.Json["pit_id"]);
        Assert.Equal("pit_id", pit.Object.First().Key);
        var seen = await engine.PostAsync("/_search", PitBody(id, ""","query":{"ids":{"values":["d0"]}}"""));
        Assert.Equal(["d0"], seen.Json["hits"]!["hits"]!.AsArray().Select(h => (string?)h!["_id"]));
    }

    [Theory]
    [InlineData("""[{"n":"asc"}]""", 2)]
    [InlineData("""[{"n":"desc"},{"_shard_doc":"desc"}]""", 2)]
    [InlineData("""["_shard_doc"]""", 1)]
    public async Task SearchAfter_PagesThroughEveryDocumentExactlyOnce(string sort, int sortValues)
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);
        var id = await OpenAsync(engine);
        var seen = new List<string>();
        JsonNode? after = null;

        for (var page = 0; page < 20; page++)
        {
            var searchAfter = after is null ? string.Empty : $",\"search_after\":{after.ToJsonString()}";
            var response = await engine.PostAsync("/_search", PitBody(id, $",\"size\":5,\"sort\":{sort}{searchAfter}"));
            Assert.Equal(200, response.StatusCode);
            var hits = response.Json["hits"]!["hits"]!.AsArray();
            if (hits.Count == 0)
            {
                break;
            }

            // A sort that does not end in _shard_doc gets it as an implicit last sort value.
            Assert.All(hits, h => Assert.Equal(sortValues, h!["sort"]!.AsArray().Count));
            seen.AddRange(hits.Select(h => (string)h!["_id"]!));
            after = hits[^1]!["sort"]!.DeepClone();
        }

        Assert.Equal(Documents, seen.Count);
        Assert.Equal(Enumerable.Range(0, Documents).Select(i => $"d{i}").Order(), seen.Order());
    }

    [Fact]
    public async Task ShardDoc_IsTheIndexPositionInTheHighBits()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine, "a", count: 2);
        await SeedAsync(engine, "b", count: 2, firstId: 10);
        var id = await OpenAsync(engine, "a,b");

        var response = await engine.PostAsync("/_search", PitBody(id, ""","sort":["_shard_doc"]"""));

        // Index a is shard 0 (docs 0 and 1), index b shard 1: (1 << 32) + doc.
        var sorts = response.Json["hits"]!["hits"]!.AsArray().Select(h => (long)h!["sort"]![0]!).ToList();
        Assert.Equal([0L, 1L, 4294967296L, 4294967297L], sorts);
    }

    [Fact]
    public async Task Slices_PartitionThePointInTime()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);
        var id = await OpenAsync(engine);
        var all = new List<string>();

        for (var slice = 0; slice < 3; slice++)
        {
            var response = await engine.PostAsync("/_search", PitBody(id, $",\"size\":100,\"slice\":{{\"id\":{slice},\"max\":3}}"));
            Assert.Equal(200, response.StatusCode);
            var ids = response.Json["hits"]!["hits"]!.AsArray().Select(h => (string)h!["_id"]!).ToList();
            Assert.NotEmpty(ids);
            Assert.Equal(ids.Count, (int)response.Json["hits"]!["total"]!["value"]!);
            all.AddRange(ids);
        }

        Assert.Equal(Enumerable.Range(0, Documents).Select(i => $"d{i}").Order(), all.Order());
    }

    [Fact]
    public async Task Close_FreesIt_ThenSearchIsSearchContextMissing404()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);
        var id = await OpenAsync(engine);

        var closed = await engine.SendAsync("DELETE", "/_pit", $$"""{"id":"{{id}}"}""");
        var again = await engine.SendAsync("DELETE", "/_pit", $$"""{"id":"{{id}}"}""");
        var search = await engine.PostAsync("/_search", PitBody(id, ""));

        Assert.Equal(200, closed.StatusCode);
        SearchAssertJson("""{"succeeded":true,"num_freed":1}""", closed.Json);
        Assert.Equal(200, again.StatusCode);
        SearchAssertJson("""{"succeeded":true,"num_freed":0}""", again.Json);
        Assert.Equal(404, search.StatusCode);
        Assert.Equal("search_phase_execution_exception", (string?)search.Json["error"]!["type"]);
        Assert.Equal("search_context_missing_exception", (string?)search.Json["error"]!["root_cause"]![0]!["type"]);
        Assert.Equal("No search context found for id [1]", (string?)search.Json["error"]!["root_cause"]![0]!["reason"]);
        Assert.Equal(404, (int)search.Json["status"]!);
    }

    [Fact]
    public async Task Search_AfterKeepAlive_IsSearchContextMissing404()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var directory = new TempDirectory();
        await using var host = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = directory.Path, Urls = ["http://127.0.0.1:0"] }, timeProvider: time, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = host.Urls[0] };
        var ct = TestContext.Current.CancellationToken;
        await client.PutAsync("/books", Json("{}"), ct);
        var opened = JsonNode.Parse(await (await client.PostAsync("/books/_pit?keep_alive=30s", null, ct)).Content.ReadAsStringAsync(ct))!;
        var body = "{\"pit\":{\"id\":\"" + (string)opened["id"]! + "\"}}";

        time.Advance(TimeSpan.FromSeconds(29));
        var alive = await client.PostAsync("/_search", Json(body), ct);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await client.PostAsync("/_search", Json(body), ct);

        Assert.Equal(200, (int)alive.StatusCode);
        Assert.Equal(404, (int)expired.StatusCode);
        var error = JsonNode.Parse(await expired.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("No search context found for id [1]", (string?)error["error"]!["root_cause"]![0]!["reason"]);

        static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");
    }

    [Theory]
    [InlineData("POST", "/books/_search", """{"pit":{"id":"ID"}}""",
        "Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;")]
    [InlineData("POST", "/_search?routing=a&preference=_local&ignore_unavailable=true", """{"pit":{"id":"ID"}}""",
        "Validation Failed: 1: [indicesOptions] cannot be used with point in time;2: [routing] cannot be used with point in time;3: [preference] cannot be used with point in time;")]
    [InlineData("POST", "/_search?ccs_minimize_roundtrips=true", """{"pit":{"id":"ID"}}""",
        "Validation Failed: 1: [ccs_minimize_roundtrips] cannot be used with point in time;")]
    [InlineData("POST", "/books/_search", """{"sort":["_shard_doc"]}""",
        "Validation Failed: 1: [_shard_doc] sort field cannot be used without [point in time];")]
    [InlineData("POST", "/books/_search", """{"slice":{"id":0,"max":2}}""",
        "Validation Failed: 1: [slice] can only be used with [scroll] or [point-in-time] requests;")]
    [InlineData("POST", "/books/_pit", null, "Validation Failed: 1: [keep_alive] is not specified;")]
    [InlineData("POST", "/missing/_pit", null, "Validation Failed: 1: [keep_alive] is not specified;")]
    public async Task Misuse_IsActionRequestValidation400(string method, string path, string? body, string reason)
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);
        var id = await OpenAsync(engine);

        var response = await engine.SendAsync(method, path, body?.Replace("ID", id, StringComparison.Ordinal));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(("action_request_validation_exception", reason), ((string?)response.Json["error"]!["type"], (string?)response.Json["error"]!["reason"]));
    }

    [Fact]
    public async Task Search_WithAnIdThatDoesNotDecode_IsInvalidId400()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PostAsync("/_search", """{"pit":{"id":"not-a-pit"}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(("illegal_argument_exception", "invalid id: [not-a-pit]"), ((string?)response.Json["error"]!["type"], (string?)response.Json["error"]!["reason"]));
    }

    [Fact]
    public async Task Open_OnAMissingIndex_IsIndexNotFound404()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PostAsync("/missing/_pit?keep_alive=1m");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("index_not_found_exception", (string?)response.Json["error"]!["type"]);
    }

    [Fact]
    public async Task Open_KeepAliveOver24h_IsRefused()
    {
        await using var engine = await EngineServer.StartAsync();
        await SeedAsync(engine);

        var response = await engine.PostAsync("/books/_pit?keep_alive=2d");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            "Keep alive for request (2d) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.",
            (string?)response.Json["error"]!["reason"]);
    }

    private static void SearchAssertJson(string expected, JsonNode? actual) => Search.SearchAssert.Json(expected, actual);
}
