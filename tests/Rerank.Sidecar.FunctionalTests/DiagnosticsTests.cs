using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary><c>/_rerank/health</c> and <c>/_rerank/metrics</c> with the embedded engine upstream and real bundles.</summary>
public sealed class DiagnosticsTests : IAsyncLifetime
{
    private readonly TempDirectory _models = new();
    private EngineUpstream _engine = null!;

    public async ValueTask InitializeAsync() => _engine = await EngineUpstream.StartAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        _models.Dispose();
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> HealthAsync(SidecarHost sidecar)
    {
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        using var response = await client.GetAsync("/_rerank/health", TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    private Task<SidecarHost> StartAsync(Uri upstream, string? models) => SidecarHost.StartAsync(
        new SidecarOptions { Upstream = upstream, Urls = ["http://127.0.0.1:0"], ModelsDirectory = models, HealthTimeout = TimeSpan.FromSeconds(2) },
        cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Health_UpstreamAnswersAndEveryBundleLoaded_IsReady()
    {
        var id = TinyBundles.Write(Path.Combine(_models.Path, "tiny"), seed: 1);
        await using var sidecar = await StartAsync(_engine.Url, _models.Path);

        var (status, body) = await HealthAsync(sidecar);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", (string)body["status"]!);
        Assert.True((bool)body["upstream"]!["reachable"]!);
        Assert.Equal(200, (int)body["upstream"]!["status"]!);
        var model = Assert.Single(body["models"]!.AsArray())!;
        Assert.Equal(id, (string)model["model_id"]!);
        Assert.True((bool)model["loaded"]!);
        Assert.Empty(body["reasons"]!.AsArray());
    }

    [Fact]
    public async Task Health_UpstreamDown_Is503_AndSaysSo()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var sidecar = await StartAsync(new Uri($"http://127.0.0.1:{port}"), models: null);

        var (status, body) = await HealthAsync(sidecar);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("not_ready", (string)body["status"]!);
        Assert.False((bool)body["upstream"]!["reachable"]!);
        var reason = (string)Assert.Single(body["reasons"]!.AsArray())!;
        Assert.StartsWith($"upstream [http://127.0.0.1:{port}] is down", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_BundleThatNeverLoaded_Is503_NamingItAndWhy()
    {
        TinyBundles.Write(Path.Combine(_models.Path, "good"), seed: 1);
        _models.WriteFile(Path.Combine("broken", "manifest.json"), "not json at all");
        await using var sidecar = await StartAsync(_engine.Url, _models.Path);

        var (status, body) = await HealthAsync(sidecar);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var reason = (string)Assert.Single(body["reasons"]!.AsArray())!;
        Assert.StartsWith($"bundle [{Path.Combine(_models.Path, "broken")}] failed: ", reason, StringComparison.Ordinal);
        var broken = body["models"]!.AsArray().Single(m => ((string)m!["directory"]!).EndsWith("broken", StringComparison.Ordinal))!;
        Assert.False((bool)broken["loaded"]!);
        Assert.False(string.IsNullOrEmpty((string?)broken["error"]));
    }

    [Fact]
    public async Task Health_ReloadFailedButLastGoodServes_StaysReady_AndShowsTheError()
    {
        var directory = Path.Combine(_models.Path, "tiny");
        var id = TinyBundles.Write(directory, seed: 1);
        await using var sidecar = await StartAsync(_engine.Url, _models.Path);
        File.WriteAllText(Path.Combine(directory, "manifest.json"), "{}");
        await sidecar.Services.GetRequiredService<ModelRegistry>().ScanAsync(TestContext.Current.CancellationToken);

        var (status, body) = await HealthAsync(sidecar);

        Assert.Equal(HttpStatusCode.OK, status);
        var model = Assert.Single(body["models"]!.AsArray())!;
        Assert.Equal(id, (string)model["model_id"]!);
        Assert.False(string.IsNullOrEmpty((string?)model["error"]));
    }

    [Theory]
    [InlineData("/_rerank/health")]
    [InlineData("/_rerank/metrics")]
    public async Task OwnRoutes_Post_Is405AsElasticsearchAnswersAWrongMethod(string path)
    {
        await using var sidecar = await StartAsync(_engine.Url, models: null);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };

        using var response = await client.PostAsync(path, null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal($"Incorrect HTTP method for uri [{path}] and method [POST], allowed: [GET]", (string)body["error"]!);
        Assert.Equal(405, (int)body["status"]!);
    }

    [Fact]
    public async Task Metrics_AfterForwardedRequests_ArePrometheusText()
    {
        await using var sidecar = await StartAsync(_engine.Url, models: null);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var cancellation = TestContext.Current.CancellationToken;
        (await client.GetAsync("/", cancellation)).EnsureSuccessStatusCode();
        (await client.GetAsync("/", cancellation)).EnsureSuccessStatusCode();

        using var response = await client.GetAsync("/_rerank/metrics", cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE rerank_sidecar_requests_forwarded_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE rerank_sidecar_forward_duration_seconds histogram", text, StringComparison.Ordinal);
        var forwarded = text.Split('\n').Where(l => l.StartsWith("rerank_sidecar_requests_forwarded_total{", StringComparison.Ordinal) && l.Contains("http_request_method=\"GET\"", StringComparison.Ordinal));
        Assert.Contains(forwarded, l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }
}
