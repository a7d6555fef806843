using System.Net;
using System.Text.Json.Nodes;
using Rerank.Sidecar.FunctionalTests.Writes;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.RealCluster;

/// <summary>
/// The sidecar in front of a real Elasticsearch 9 (a container): set up, write and search through it. Runs where a
/// Docker engine answers; skipped with the reason elsewhere (this workplace and CI have none: docs/deploy.md).
/// </summary>
public sealed class RealClusterTests(ElasticsearchContainer cluster) : IClassFixture<ElasticsearchContainer>, IAsyncLifetime
{
    private static readonly (string Id, string Title, string Text)[] Documents =
    [
        ("d1", "Aspirin", "Aspirin lowers the risk of heart attack."),
        ("d2", "Vitamin D", "Vitamin D deficiency and bone density in older adults."),
        ("d3", "Sleep", "Short sleep and insulin resistance: a randomised trial."),
    ];

    private readonly TempDirectory _temp = new();
    private readonly string _index = "rc-" + Guid.NewGuid().ToString("N")[..8];
    private SidecarHost? _sidecar;
    private HttpClient _direct = null!;
    private HttpClient _through = null!;
    private string _bundle = null!;
    private string _modelId = null!;

    public async ValueTask InitializeAsync()
    {
        if (cluster.SkipReason is not null)
        {
            return;
        }

        _bundle = Path.Combine(_temp.Path, "models", "tiny");
        _modelId = TinyBundles.Write(_bundle, seed: 5);
        _sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = cluster.Url, Urls = ["http://127.0.0.1:0"], ModelsDirectory = Path.Combine(_temp.Path, "models") },
            cancellationToken: TestContext.Current.CancellationToken);
        _direct = new HttpClient { BaseAddress = cluster.Url, Timeout = TimeSpan.FromMinutes(1) };
        _through = new HttpClient { BaseAddress = _sidecar.Urls[0], Timeout = TimeSpan.FromMinutes(1) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_sidecar is not null)
        {
            _direct.Dispose();
            _through.Dispose();
            await _sidecar.DisposeAsync();
        }

        _temp.Dispose();
    }

    private string Sidecar => _sidecar!.Urls[0].ToString().TrimEnd('/');

    /// <summary><c>rerank ingest init</c> through the sidecar, then the documents bulk-written through it (refreshed).</summary>
    private async Task SetUpAndWriteAsync()
    {
        await InProcessCli.OkAsync("ingest", "init", "--cluster", Sidecar, "--index", _index, "--model", _bundle, "--fields", "title,text");
        var bulk = string.Concat(Documents.Select(d =>
            $"{{\"index\":{{\"_index\":\"{_index}\",\"_id\":\"{d.Id}\"}}}}\n" + new JsonObject { ["title"] = d.Title, ["text"] = d.Text }.ToJsonString() + "\n"));
        var answer = await WritePathStack.OkAsync(_through, HttpMethod.Post, "/_bulk?refresh=true", bulk, "application/x-ndjson");
        Assert.False((bool)answer["errors"]!, answer.ToJsonString());
    }

    [Fact]
    public async Task Root_ThroughTheSidecar_IsElasticsearch9()
    {
        cluster.SkipUnlessRunning();

        var root = await WritePathStack.OkAsync(_through, HttpMethod.Get, "/");

        Assert.StartsWith("9.", (string)root["version"]!["number"]!, StringComparison.Ordinal);
        using var health = await _through.GetAsync("/_rerank/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Bulk_ThroughTheSidecar_StoresTheIndependentProjectionInElasticsearch()
    {
        cluster.SkipUnlessRunning();

        await SetUpAndWriteAsync();

        var file = _temp.WriteFile("passages.txt", string.Join("\n", Documents.Select(d => $"{d.Title} {d.Text}")));
        var encoded = JsonNode.Parse(await InProcessCli.OkAsync("model", "encode", "--model", _bundle, "--passages", file, "--json"))!;
        var projections = encoded["passages"]!.AsArray().Select(p => p!["projection"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()).ToList();
        for (var i = 0; i < Documents.Length; i++)
        {
            var source = (await WritePathStack.OkAsync(_direct, HttpMethod.Get, $"/{_index}/_doc/{Documents[i].Id}"))["_source"]!.AsObject();
            StoredFields.AssertCurrent(source, $"{Documents[i].Title} {Documents[i].Text}", projections[i], _modelId);
        }

        var status = JsonNode.Parse(await InProcessCli.OkAsync("ingest", "status", "--cluster", cluster.Url.ToString(), "--index", _index, "--json"))!;
        Assert.Equal(3, (long)status["documents"]!);
        Assert.Equal(3, (long)status["current"]!);
    }

    [Fact]
    public async Task Search_ThroughTheSidecar_FindsWhatElasticsearchFinds()
    {
        cluster.SkipUnlessRunning();
        await SetUpAndWriteAsync();
        const string Query = """{"size":10,"query":{"multi_match":{"query":"aspirin heart sleep","fields":["title","text"]}}}""";

        var direct = await WritePathStack.OkAsync(_direct, HttpMethod.Post, $"/{_index}/_search", Query);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{_index}/_search") { Content = new StringContent(Query, System.Text.Encoding.UTF8, "application/json") };
        using var response = await _through.SendAsync(request, TestContext.Current.CancellationToken);
        var through = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((long)direct["hits"]!["total"]!["value"]!, (long)through["hits"]!["total"]!["value"]!);
        Assert.Equal(2, (long)through["hits"]!["total"]!["value"]!);
        static string[] Ids(JsonNode answer) => [.. answer["hits"]!["hits"]!.AsArray().Select(h => (string)h!["_id"]!).Order(StringComparer.Ordinal)];
        Assert.Equal(["d1", "d3"], Ids(through));
        if (response.Headers.TryGetValues("X-Rerank", out var outcome))
        {
            // With the search path (docs/search.md) every answer to an enabled index says what happened.
            Assert.Matches("^(applied|fallback:[a-z_]+|skipped:[a-z_]+)$", outcome.Single());
        }
    }

    [Fact]
    public async Task PutIndex_InvalidRerankMeta_RefusedAtTheDoor_ElasticsearchUntouched()
    {
        cluster.SkipUnlessRunning();

        var (status, body) = await WritePathStack.SendAsync(_through, HttpMethod.Put, $"/{_index}", """{"mappings":{"_meta":{"rerank":{"version":1,"model":"m","text_fields":[],"window":0}}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("illegal_argument_exception", (string)JsonNode.Parse(body)!["error"]!["type"]!);
        var (exists, _) = await WritePathStack.SendAsync(_direct, HttpMethod.Head, $"/{_index}");
        Assert.Equal(HttpStatusCode.NotFound, exists);
    }
}
