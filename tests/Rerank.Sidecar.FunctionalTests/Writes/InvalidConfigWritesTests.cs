using System.Net;
using System.Text.Json.Nodes;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// Writes to an index whose <c>_meta.rerank</c> is invalid (set straight on the engine, which keeps any <c>_meta</c>)
/// are refused by the sidecar with Elasticsearch's 400, never forwarded without vectors and never a 5xx.
/// </summary>
public sealed class InvalidConfigWritesTests : IAsyncLifetime
{
    private WritePathStack _stack = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await WritePathStack.StartAsync();
        await _stack.InitAsync(_stack.SidecarUrl, "books");
        await WritePathStack.OkAsync(_stack.Engine, HttpMethod.Put, "/bad", """{"mappings":{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title"],"window":0}}}}""");
    }

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    private static void AssertRefused(HttpStatusCode status, string text)
    {
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {text}");
        var json = JsonNode.Parse(text)!;
        Assert.Equal(400, (int)json["status"]!);
        Assert.Equal("illegal_argument_exception", (string)json["error"]!["type"]!);
        Assert.Equal("invalid [_meta.rerank] of index [bad]: [_meta.rerank.window] must be an integer from 1 to 1000, got [0]", (string)json["error"]!["reason"]!);
    }

    [Fact]
    public async Task Doc_InvalidConfig_Is400_AndNothingWritten()
    {
        var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, HttpMethod.Put, "/bad/_doc/1", """{"title":"x"}""");

        AssertRefused(status, text);
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, "/bad/_doc/1")).Status);
    }

    [Fact]
    public async Task Bulk_InvalidConfigInTheFirstWindow_Is400_AndNothingWritten()
    {
        var body = "{\"index\":{\"_index\":\"books\",\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n{\"index\":{\"_index\":\"bad\",\"_id\":\"2\"}}\n{\"title\":\"c\"}\n";

        var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk", body, "application/x-ndjson");

        AssertRefused(status, text);
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, "/books/_doc/1")).Status);
    }

    [Fact]
    public async Task Bulk_InvalidConfigInALaterWindow_Is400_AndNothingWritten()
    {
        // 600 items of books first: the first window (512 items) is already on its way to the engine.
        var body = string.Concat(Enumerable.Range(0, 600).Select(i => $"{{\"index\":{{\"_index\":\"books\",\"_id\":\"{i}\"}}}}\n{{\"title\":\"T{i}\",\"text\":\"x\"}}\n"))
            + "{\"index\":{\"_index\":\"bad\",\"_id\":\"2\"}}\n{\"title\":\"c\"}\n";

        var (status, text) = await WritePathStack.SendAsync(_stack.Sidecar, HttpMethod.Post, "/_bulk", body, "application/x-ndjson");

        AssertRefused(status, text);
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, "/bad/_doc/2")).Status);
        // The cluster never got a whole body, so it wrote none of it (a bulk runs once its body is read).
        Assert.Equal(HttpStatusCode.NotFound, (await WritePathStack.SendAsync(_stack.Engine, HttpMethod.Get, "/books/_doc/0")).Status);
    }
}
