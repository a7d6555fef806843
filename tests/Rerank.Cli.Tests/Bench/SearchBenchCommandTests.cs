using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Sidecar.Hosting;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Bench;

/// <summary>
/// <c>rerank bench search</c>: its refusals, and a real run against the embedded engine and a sidecar on 127.0.0.1
/// (an index set up by <c>rerank ingest init</c> with a tiny model, documents written through the sidecar).
/// </summary>
public sealed class SearchBenchCommandTests : IAsyncLifetime
{
    private static readonly string[] SmallShape = ["--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8"];
    private static readonly string[] WayKeys = ["p50_ms", "p95_ms", "p99_ms", "qps", "queries", "errors", "first_error"];

    private readonly TempDirectory _temp = new();
    private string _queries = null!;
    private EngineHost _engine = null!;
    private SidecarHost _sidecar = null!;

    public async ValueTask InitializeAsync()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var folder = new BeirFolderBuilder()
            .Document("d1", "Aspirin", "Aspirin lowers the risk of heart attack.")
            .Document("d2", "Vitamin D", "Vitamin D deficiency and bone density in older adults.")
            .Document("d3", "Sleep", "Short sleep and insulin resistance: a randomised trial.")
            .Query("q1", "aspirin heart")
            .Query("q2", "sleep and insulin")
            .Judgment("q1", "d1", 1)
            .WriteTo(Path.Combine(_temp.Path, "beir"));
        _queries = Path.Combine(folder, "queries.jsonl");

        var bundle = Path.Combine(_temp.Path, "models", "tiny");
        var init = CliRunner.Run(["model", "init", "--out", bundle, .. SmallShape]);
        Assert.True(init.ExitCode == 0, init.Error);

        _engine = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(_temp.Path, "engine"), Urls = ["http://127.0.0.1:0"] }, cancellationToken: cancellation);
        _sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = _engine.Urls[0], Urls = ["http://127.0.0.1:0"], ModelsDirectory = Path.GetDirectoryName(bundle) },
            cancellationToken: cancellation);
        var setUp = CliRunner.Run("ingest", "init", "--cluster", Sidecar, "--index", "docs", "--model", bundle, "--fields", "title,text");
        Assert.True(setUp.ExitCode == 0, setUp.Error);

        using var client = new HttpClient { BaseAddress = _sidecar.Urls[0] };
        var bulk = new StringBuilder();
        foreach (var (id, title, text) in new[] { ("d1", "Aspirin", "Aspirin lowers the risk of heart attack."), ("d2", "Vitamin D", "Vitamin D and bone density."), ("d3", "Sleep", "Short sleep and insulin resistance.") })
        {
            bulk.Append("{\"index\":{\"_index\":\"docs\",\"_id\":\"").Append(id).Append("\"}}\n");
            bulk.Append(new JsonObject { ["title"] = title, ["text"] = text }.ToJsonString()).Append('\n');
        }

        using var written = await client.PostAsync("/_bulk?refresh=true", new StringContent(bulk.ToString(), Encoding.UTF8, "application/x-ndjson"), cancellation);
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _engine.DisposeAsync();
        _temp.Dispose();
    }

    private string Sidecar => _sidecar.Urls[0].ToString().TrimEnd('/');

    private static string OneErrorLine(CliResult result)
    {
        Assert.Equal(1, result.ExitCode);
        return Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');
    }

    [Theory]
    [InlineData("--sidecar", "http://10.1.2.3:9201")]
    [InlineData("--sidecar", "http://example.com:9201")]
    [InlineData("--sidecar", "ftp://127.0.0.1:9201")]
    [InlineData("--upstream", "http://192.168.0.1:9200")]
    public void Invoke_NotLoopback_RefusedInOneLine(string option, string url)
    {
        string[] args = option == "--sidecar"
            ? ["bench", "search", "--sidecar", url, "--index", "docs", "--queries", _queries]
            : ["bench", "search", "--sidecar", "http://127.0.0.1:9", "--upstream", url, "--index", "docs", "--queries", _queries];

        var result = CliRunner.Run(args);

        Assert.Equal($"error: {option}: '{url}' is not a loopback http(s) URL (bench search only sends to this machine: 127.0.0.1, [::1] or localhost).", OneErrorLine(result));
    }

    [Theory]
    [InlineData("--concurrency", "0", "error: --concurrency: '0' is not a comma-separated list of distinct client counts of at least 1.")]
    [InlineData("--concurrency", "1,1", "error: --concurrency: '1,1' is not a comma-separated list of distinct client counts of at least 1.")]
    [InlineData("--concurrency", "1,x", "error: --concurrency: '1,x' is not a comma-separated list of distinct client counts of at least 1.")]
    [InlineData("--seconds", "0", "error: --seconds must be at least 1 (is 0).")]
    [InlineData("--max-queries", "0", "error: --max-queries must be at least 1 (is 0).")]
    [InlineData("--window", "0", "error: --window must be at least 1 (is 0).")]
    public void Invoke_BadOption_OneErrorLine(string option, string value, string expected)
    {
        var result = CliRunner.Run("bench", "search", "--sidecar", Sidecar, "--index", "docs", "--queries", _queries, option, value);

        Assert.Equal(expected, OneErrorLine(result));
    }

    [Fact]
    public void Invoke_IndexWithoutRerankMeta_OneErrorLine()
    {
        var result = CliRunner.Run("bench", "search", "--sidecar", Sidecar, "--index", "missing", "--queries", _queries);

        Assert.StartsWith("error: the upstream answered 404 to GET /missing/_mapping: ", OneErrorLine(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_WindowOverMaxWindow_OneErrorLine()
    {
        // ingest init leaves max_window at its default, 1000 (docs/search.md).
        var result = CliRunner.Run("bench", "search", "--sidecar", Sidecar, "--index", "docs", "--queries", _queries, "--window", "1001");

        Assert.Equal("error: --window 1001 is over the index's max_window 1000.", OneErrorLine(result));
    }

    [Fact]
    public void Invoke_SidecarDown_OneErrorLine()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = CliRunner.Run("bench", "search", "--sidecar", $"http://127.0.0.1:{port}", "--index", "docs", "--queries", _queries);

        Assert.StartsWith($"error: cannot ask the sidecar [http://127.0.0.1:{port}/] for its upstream (GET /_rerank/health): ", OneErrorLine(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_TwoLevels_JsonShapeAndCountsAddUp()
    {
        var file = Path.Combine(_temp.Path, "figures.json");

        var result = CliRunner.Run("bench", "search", "--sidecar", Sidecar, "--index", "docs", "--queries", _queries,
            "--seconds", "20", "--max-queries", "4", "--concurrency", "1,2", "--warmup", "2", "--json", file);

        TestContext.Current.TestOutputHelper?.WriteLine(result.Output + result.Error);
        Assert.True(File.Exists(file), result.Output + result.Error);
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        Assert.Equal(
            ["index", "sidecar", "upstream", "text_fields", "query_count", "size", "window", "seconds", "max_queries", "warmup", "processors", "load_average_before",
             "concurrency", "first_stage", "rerank", "passthrough", "rerank_p50_added_ms", "passthrough_qps_ratio", "rerank_outcomes", "passthrough_outcomes", "rerank_not_applied", "levels"],
            json.Select(p => p.Key).ToArray());
        Assert.Equal("docs", (string)json["index"]!);
        // The upstream was asked from the sidecar's health: the engine.
        Assert.Equal(_engine.Urls[0].ToString().TrimEnd('/'), (string)json["upstream"]!);
        Assert.Equal(["title", "text"], json["text_fields"]!.AsArray().Select(f => (string)f!).ToArray());
        Assert.Equal(2, (int)json["query_count"]!);
        Assert.Equal(10, (int)json["size"]!);
        Assert.Equal(100, (int)json["window"]!);
        Assert.Equal(4, (int)json["max_queries"]!);

        var levels = json["levels"]!.AsArray();
        Assert.Equal([1, 2], levels.Select(l => (int)l!["concurrency"]!).ToArray());
        foreach (var level in levels.Select(l => l!.AsObject()))
        {
            foreach (var way in new[] { "first_stage", "rerank", "passthrough" })
            {
                var figures = level[way]!.AsObject();
                Assert.Equal(WayKeys, figures.Select(p => p.Key).ToArray());
                // Bounded by count well inside the time: every way sent the same 4 queries.
                Assert.Equal(4, (int)figures["queries"]!);
            }

            var first = level["first_stage"]!;
            Assert.Equal(0, (int)first["errors"]!);
            Assert.True((double)first["p50_ms"]! > 0);
            Assert.True((double)first["p50_ms"]! <= (double)first["p95_ms"]! && (double)first["p95_ms"]! <= (double)first["p99_ms"]!);
            Assert.True((double)first["qps"]! > 0);

            // Every sidecar answer is counted under one X-Rerank value; whatever is not `applied` is reported.
            foreach (var (way, outcomes) in new[] { ("rerank", "rerank_outcomes"), ("passthrough", "passthrough_outcomes") })
            {
                Assert.Equal(4, level[outcomes]!.AsObject().Sum(o => (int)o.Value!));
            }

            var applied = (int?)level["rerank_outcomes"]!["applied"] ?? 0;
            Assert.Equal(4 - applied, (int)level["rerank_not_applied"]!);
            if (applied < 4)
            {
                Assert.Contains($"NOT APPLIED: {4 - applied} of 4 rerank answers were not reranked", result.Output, StringComparison.Ordinal);
            }
        }

        // The top level repeats the first level's figures.
        foreach (var key in new[] { "first_stage", "rerank", "passthrough", "rerank_outcomes", "passthrough_outcomes", "rerank_not_applied" })
        {
            Assert.True(JsonNode.DeepEquals(levels[0]![key], json[key]), key);
        }

        // Failed answers are figures that do not compare: reported, and the exit code says so.
        var errors = levels.Sum(l => new[] { "first_stage", "rerank", "passthrough" }.Sum(w => (int)l![w]!["errors"]!));
        if (errors == 0)
        {
            Assert.True(result.ExitCode == 0, result.Error);
        }
        else
        {
            Assert.Equal($"error: {errors} answers failed (see ERRORS above): the figures are not comparable", OneErrorLine(result));
        }

        Assert.Contains("concurrency 1: 4 queries sent each way", result.Output, StringComparison.Ordinal);
        Assert.Contains("concurrency 2: 4 queries sent each way", result.Output, StringComparison.Ordinal);
    }
}
