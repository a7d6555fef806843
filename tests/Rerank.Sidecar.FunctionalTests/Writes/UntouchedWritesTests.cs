using System.Text;
using Microsoft.AspNetCore.Http;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// Writes to an index without <c>_meta.rerank</c> and to a disabled one pass the sidecar byte for byte: the engine
/// stores the same source as when the same bytes are sent straight to it, and a recording upstream sees the bytes sent.
/// </summary>
public sealed class UntouchedWritesTests
{
    // Odd but valid JSON: spaces, an escaped non-ASCII letter, a tab escape, a number with a trailing zero, CRLF lines.
    private const string Source = "{ \"title\" : \"Caf\\u00e9 au lait\",\t\"text\":\"one\\ttwo\" , \"n\": 1.50 }";

    private static string Bulk(string index) =>
        $"{{\"index\":{{\"_index\":\"{index}\",\"_id\":\"1\"}}}}\r\n{Source}\r\n" +
        $"{{\"create\":{{\"_index\":\"{index}\",\"_id\":\"2\"}}}}\n{Source}\n" +
        $"{{\"update\":{{\"_index\":\"{index}\",\"_id\":\"2\"}}}}\n{{\"doc\":{{\"title\":\"T\" ,\"text\":\"U\"}}}}\n";

    private static string DisabledMeta(string modelId) =>
        $"{{\"mappings\":{{\"_meta\":{{\"rerank\":{{\"version\":1,\"enabled\":false,\"model\":\"{modelId}\",\"text_fields\":[\"title\",\"text\"]}}}}}}}}";

    [Fact]
    public async Task Writes_IndexWithoutConfigAndDisabledIndex_StoreTheSameSourceAsWrittenStraightToTheEngine()
    {
        await using var stack = await WritePathStack.StartAsync();
        foreach (var index in new[] { "off", "off_direct" })
        {
            await WritePathStack.OkAsync(stack.Engine, HttpMethod.Put, $"/{index}", DisabledMeta(stack.ModelId));
        }

        foreach (var (index, direct) in new[] { ("plain", "plain_direct"), ("off", "off_direct") })
        {
            await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Post, "/_bulk?refresh=true", Bulk(index), "application/x-ndjson");
            await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, "/_bulk?refresh=true", Bulk(direct), "application/x-ndjson");
            await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Put, $"/{index}/_doc/3?refresh=true", Source);
            await WritePathStack.OkAsync(stack.Engine, HttpMethod.Put, $"/{direct}/_doc/3?refresh=true", Source);
            await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Put, $"/{index}/_create/4?refresh=true", Source);
            await WritePathStack.OkAsync(stack.Engine, HttpMethod.Put, $"/{direct}/_create/4?refresh=true", Source);
            await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Post, $"/{index}/_update/4?refresh=true", "{\"doc\":{\"title\":\"V\",\"text\":\"W\"}}");
            await WritePathStack.OkAsync(stack.Engine, HttpMethod.Post, $"/{direct}/_update/4?refresh=true", "{\"doc\":{\"title\":\"V\",\"text\":\"W\"}}");

            foreach (var id in new[] { "1", "2", "3", "4" })
            {
                var (_, viaSidecar) = await WritePathStack.SendAsync(stack.Engine, HttpMethod.Get, $"/{index}/_source/{id}");
                var (_, straight) = await WritePathStack.SendAsync(stack.Engine, HttpMethod.Get, $"/{direct}/_source/{id}");
                Assert.Equal(straight, viaSidecar);
                Assert.DoesNotContain("rerank", viaSidecar, StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, stack.Encoders.Calls);
    }

    [Fact]
    public async Task Writes_IndexWithoutConfigAndDisabledIndex_ReachTheUpstreamByteForByte()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.Respond = context =>
        {
            context.Response.ContentType = "application/json";
            var path = context.Request.Path.Value!;
            if (path == "/plain/_mapping")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return context.Response.WriteAsync("""{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [plain]"}],"type":"index_not_found_exception","reason":"no such index [plain]"},"status":404}""");
            }

            return context.Response.WriteAsync(path == "/off/_mapping"
                ? """{"off":{"mappings":{"_meta":{"rerank":{"version":1,"enabled":false,"model":"m1","text_fields":["title","text"]}}}}}"""
                : """{"took":1,"errors":false,"items":[]}""");
        };
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = upstream.Url, Urls = ["http://127.0.0.1:0"] }, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var sent = new List<(string Path, string Body)>
        {
            ("/_bulk", Bulk("plain") + Bulk("off")),
            ("/plain/_bulk", "{\"index\":{\"_id\":\"9\"}}\n" + Source + "\n"),
            ("/off/_doc/3", Source),
            ("/plain/_create/4", Source),
            ("/off/_update/4", "{\"doc\":{\"title\":\"V\" , \"text\":\"W\"}}"),
        };

        foreach (var (path, body) in sent)
        {
            await WritePathStack.OkAsync(client, path.EndsWith("_bulk", StringComparison.Ordinal) || path.Contains("_update", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Put, path, body, path.EndsWith("_bulk", StringComparison.Ordinal) ? "application/x-ndjson" : "application/json");
        }

        var writes = upstream.Requests.Where(r => !r.RawTarget.EndsWith("/_mapping", StringComparison.Ordinal)).ToList();
        Assert.Equal(sent.Select(s => s.Path), writes.Select(w => w.RawTarget));
        Assert.Equal(sent.Select(s => s.Body), writes.Select(w => Encoding.UTF8.GetString(w.Body)));
    }
}
