using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>Writes with the upstream down: Elasticsearch's 503 shape, never a hang or a 500.</summary>
public sealed class WritesUpstreamDownTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static TheoryData<string, string, string, string> Writes => new()
    {
        { "POST", "/_bulk", "{\"index\":{\"_index\":\"books\",\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n", "application/x-ndjson" },
        { "PUT", "/books/_bulk", "{\"index\":{\"_id\":\"1\"}}\n{\"title\":\"a\",\"text\":\"b\"}\n", "application/x-ndjson" },
        { "PUT", "/books/_doc/1", "{\"title\":\"a\",\"text\":\"b\"}", "application/json" },
        { "POST", "/books/_update/1", "{\"doc\":{\"title\":\"a\",\"text\":\"b\"}}", "application/json" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_UpstreamDown_Answers503ElasticsearchShaped(string method, string path, string body, string contentType)
    {
        using var models = new TempDirectory();
        TinyBundles.Write(Path.Combine(models.Path, "tiny"), seed: 11);
        var upstream = new Uri($"http://127.0.0.1:{ClosedPort()}");
        await using var sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = upstream, Urls = ["http://127.0.0.1:0"], ModelsDirectory = models.Path },
            cancellationToken: TestContext.Current.CancellationToken);
        // A hang fails the test here instead of running on.
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0], Timeout = TimeSpan.FromSeconds(60) };

        var (status, text) = await WritePathStack.SendAsync(client, new HttpMethod(method), path, body, contentType);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{(int)status} {text}");
        var json = JsonNode.Parse(text)!;
        Assert.Equal(503, (int)json["status"]!);
        var type = (string)json["error"]!["type"]!;
        Assert.Equal(type, (string)json["error"]!["root_cause"]![0]!["type"]!);
        Assert.Contains(upstream.ToString().TrimEnd('/'), (string)json["error"]!["reason"]!, StringComparison.Ordinal);
    }
}
