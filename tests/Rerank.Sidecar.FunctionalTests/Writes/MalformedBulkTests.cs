using System.Net;
using System.Text.Json.Nodes;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// Malformed <c>_bulk</c> bodies for an enabled index: the sidecar's answer is the engine's for the same body sent
/// straight to it (per item, or for the whole request), and the well-formed items still get their vectors.
/// </summary>
public sealed class MalformedBulkTests : IAsyncLifetime
{
    private const string Index = "books";
    private const string Twin = "twin";

    private WritePathStack _stack = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await WritePathStack.StartAsync();
        await _stack.InitAsync(_stack.SidecarUrl, Index);
        await _stack.InitAsync(_stack.EngineUrl, Twin);
    }

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Bulk_BadSourceLines_GetTheEnginesItemErrors_AndTheOtherItemsTheirVectors()
    {
        var body = string.Join('\n',
            """{"index":{"_id":"1"}}""",
            """{"title":"Good one","text":"first"}""",
            """{"index":{"_id":"2"}}""",
            """{"title":"Bad", "text":""",
            """{"create":{"_id":"3"}}""",
            """["not","an","object"]""",
            """{"index":{"_id":"4"}}""",
            """{"title":"Twice","title":"again","text":"duplicate key"}""",
            """{"update":{"_id":"1"}}""",
            """{"doc":{"title":"Good one","text":"first, updated"}}""",
            """{"index":{"_id":"5"}}""",
            """{"title":"Good two","text":"last"}""") + "\n";

        var direct = await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Post, $"/{Twin}/_bulk?refresh=true", body, "application/x-ndjson");
        var sidecar = await WritePathStack.OkAsync(_stack.Sidecar, HttpMethod.Post, $"/{Index}/_bulk?refresh=true", body, "application/x-ndjson");

        BulkItems.AssertSame(direct, sidecar, Twin, Index);
        var statuses = sidecar["items"]!.AsArray().Select(i => (int)i!.AsObject().Single().Value!["status"]!).ToList();
        // Elasticsearch: each bad source is a 400 of its own item; the rest are written (and the update applies).
        Assert.Equal([201, 400, 400, 400, 200, 201], statuses);
        var projections = await _stack.ProjectionsAsync(["Good one first, updated", "Good two last"]);
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "1"), "Good one first, updated", projections[0], _stack.ModelId);
        StoredFields.AssertCurrent(await _stack.SourceAsync(Index, "5"), "Good two last", projections[1], _stack.ModelId);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        {
            "unknown action",
            "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n{\"upsert\":{\"_id\":\"2\"}}\n{\"title\":\"c\",\"text\":\"d\"}\n"
        },
        {
            "action line not JSON",
            "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n{\"index\":\n{\"title\":\"c\",\"text\":\"d\"}\n"
        },
        {
            "update body not JSON",
            "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n{\"update\":{\"_id\":\"1\"}}\n{\"doc\":{\"title\":\"c\"}\n"
        },
        {
            "missing source line",
            "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n{\"index\":{\"_id\":\"2\"}}\n"
        },
        {
            "no final newline",
            "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}"
        },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bulk_MalformedRequest_GetsTheEnginesRequestError(string name, string body)
    {
        var (directStatus, directText) = await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Post, $"/{Twin}/_bulk?refresh=true", body, "application/x-ndjson");
        var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, HttpMethod.Post, $"/{Index}/_bulk?refresh=true", body, "application/x-ndjson");

        Assert.True(directStatus == status, $"{name}: engine {(int)directStatus} {directText}, sidecar {(int)status} {text}");
        var want = JsonNode.Parse(directText)!;
        var got = JsonNode.Parse(text)!;
        if (directStatus == HttpStatusCode.OK)
        {
            BulkItems.AssertSame(want, got, Twin, Index);
        }
        else
        {
            Assert.Equal((string?)want["error"]!["type"], (string?)got["error"]!["type"]);
            Assert.Equal((string?)want["error"]!["reason"], ((string?)got["error"]!["reason"])?.Replace(Index, Twin, StringComparison.Ordinal));
        }

        var directCount = await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Get, $"/{Twin}/_count");
        var count = await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Get, $"/{Index}/_count");
        Assert.Equal((long)directCount["count"]!, (long)count["count"]!);
    }

    [Fact]
    public async Task Bulk_UnknownActionInALaterWindow_GetsTheEnginesRequestError_AndNothingIsWritten()
    {
        // 600 items: the sidecar has already streamed its first window (512 items, with vectors) when it meets the bad line.
        var body = string.Concat(Enumerable.Range(0, 600).Select(i => $"{{\"index\":{{\"_id\":\"{i}\"}}}}\n{{\"title\":\"T{i}\",\"text\":\"x\"}}\n"))
            + "{\"upsert\":{\"_id\":\"600\"}}\n{\"title\":\"c\",\"text\":\"d\"}\n";

        var (directStatus, directText) = await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Post, $"/{Twin}/_bulk?refresh=true", body, "application/x-ndjson");
        var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, HttpMethod.Post, $"/{Index}/_bulk?refresh=true", body, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.BadRequest, directStatus);
        Assert.True(status == directStatus, $"sidecar {(int)status} {text}");
        Assert.Equal((string?)JsonNode.Parse(directText)!["error"]!["reason"], ((string?)JsonNode.Parse(text)!["error"]!["reason"])?.Replace(Index, Twin, StringComparison.Ordinal));
        // Not even the first window's items: a real-time get finds none of them.
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, $"/{Index}/_doc/0")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, $"/{Index}/_doc/599")).Status);
    }
}
