using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Sidecar.Hosting;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary>
/// Issue 11's acceptance for <c>eval rerank</c>: through a running sidecar (in front of the embedded engine, both on
/// 127.0.0.1) the figures equal offline reranking of the sidecar's own first-stage candidates (<c>--first-stage-run</c>
/// given back as <c>--candidates</c>), on SciFact's test split (5,183 documents, 300 queries; about 40 s here).
/// </summary>
public sealed class EvalRerankSidecarTests : IDisposable
{
    /// <summary>SciFact's test queries.</summary>
    private const int Queries = 300;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EvalRerank_ThroughSidecar_EqualsOfflineRerankingOfItsFirstStage()
    {
        var data = RepositoryPaths.RequireSharedCollection("scifact");
        var models = Path.Combine(_temp.Path, "models");
        var bundle = Path.Combine(models, "tiny");
        var init = CliRunner.Run("model", "init", "--out", bundle, "--seed", "5", "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8");
        Assert.True(init.ExitCode == 0, init.Error);
        var token = TestContext.Current.CancellationToken;
        await using var engine = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(_temp.Path, "engine"), Urls = ["http://127.0.0.1:0"] }, cancellationToken: token);
        await using var sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = engine.Urls[0], Urls = ["http://127.0.0.1:0"], ModelsDirectory = models }, cancellationToken: token);
        var url = sidecar.Urls[0].ToString().TrimEnd('/');
        using var http = new HttpClient { BaseAddress = sidecar.Urls[0], Timeout = TimeSpan.FromMinutes(2) };

        // The index, set up by ingest init through the sidecar, with a budget no shared test machine runs over.
        var setup = CliRunner.Run("ingest", "init", "--cluster", url, "--index", "papers", "--model", bundle, "--fields", "title,text");
        Assert.True(setup.ExitCode == 0, setup.Error);
        var meta = (await SendAsync(http, HttpMethod.Get, "/papers/_mapping", null))["papers"]!["mappings"]!["_meta"]!.AsObject();
        meta["rerank"]!["budget_ms"] = 60_000;
        await SendAsync(http, HttpMethod.Put, "/papers/_mapping", new JsonObject { ["_meta"] = meta.DeepClone() }.ToJsonString());
        await BulkAsync(http, Path.Combine(data, "corpus.jsonl"));

        var scJson = Path.Combine(_temp.Path, "sidecar.json");
        var scRun = Path.Combine(_temp.Path, "sidecar-rerank.run");
        var firstStage = Path.Combine(_temp.Path, "first-stage.run");
        var through = CliRunner.Run("eval", "rerank", "--data", data, "--sidecar", url, "--index", "papers", "--first-stage-run", firstStage, "--json", scJson, "--run", scRun);
        Assert.True(through.ExitCode == 0, through.Error + through.Output);

        var offJson = Path.Combine(_temp.Path, "offline.json");
        var offRun = Path.Combine(_temp.Path, "offline-rerank.run");
        var offline = CliRunner.Run("eval", "rerank", "--model", bundle, "--data", data, "--candidates", firstStage, "--json", offJson, "--run", offRun);
        Assert.True(offline.ExitCode == 0, offline.Error);

        using var sc = JsonDocument.Parse(File.ReadAllText(scJson));
        using var off = JsonDocument.Parse(File.ReadAllText(offJson));
        var sidecarSide = sc.RootElement.GetProperty("sidecar");
        Assert.Equal(Queries, sidecarSide.GetProperty("applied").GetInt32());
        Assert.Equal(0, sidecarSide.GetProperty("not_applied").GetArrayLength());
        Assert.Equal(Queries, sc.RootElement.GetProperty("queries").GetInt32());
        foreach (var side in new[] { "bm25", "rerank" })
        {
            foreach (var metric in sc.RootElement.GetProperty(side).GetProperty("metrics").EnumerateObject())
            {
                Assert.Equal(metric.Value.GetDouble(), off.RootElement.GetProperty(side).GetProperty("metrics").GetProperty(metric.Name).GetDouble(), 12);
            }
        }

        // The reranked windows themselves: same documents in the same order, same scores (the sidecar's _score is a float).
        var sidecarRanking = ReadRun(scRun);
        var offlineRanking = ReadRun(offRun);
        Assert.Equal(sidecarRanking.Keys.Order(), offlineRanking.Keys.Order());
        foreach (var (query, ranking) in sidecarRanking)
        {
            Assert.Equal(ranking.Select(r => r.Document), offlineRanking[query].Select(r => r.Document));
            Assert.Equal(ranking.Select(r => r.Score), offlineRanking[query].Select(r => r.Score), (a, b) => Math.Abs(a - b) <= 1e-6);
        }

        // The first stage is a real ranking, and the sidecar changed it.
        Assert.Contains(sidecarRanking, q => q.Value.Count > 10);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"X-Rerank: applied {Queries}, fallback 0, skipped 0"), through.Output, StringComparison.Ordinal);
        Assert.NotEqual(
            ReadRun(firstStage).OrderBy(q => q.Key).SelectMany(q => q.Value.Select(r => r.Document)),
            sidecarRanking.OrderBy(q => q.Key).SelectMany(q => q.Value.Select(r => r.Document)));
    }

    private static async Task BulkAsync(HttpClient http, string corpus)
    {
        foreach (var chunk in File.ReadLines(corpus).Chunk(400))
        {
            var body = new StringBuilder();
            foreach (var line in chunk)
            {
                var paper = JsonNode.Parse(line)!;
                body.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = paper["_id"]!.GetValue<string>() } }.ToJsonString()).Append('\n');
                body.Append(new JsonObject { ["title"] = paper["title"]!.GetValue<string>(), ["text"] = paper["text"]!.GetValue<string>() }.ToJsonString()).Append('\n');
            }

            var answer = await SendAsync(http, HttpMethod.Post, "/papers/_bulk?refresh=true", body.ToString(), "application/x-ndjson");
            Assert.False(answer["errors"]!.GetValue<bool>(), answer.ToJsonString()[..Math.Min(500, answer.ToJsonString().Length)]);
        }
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static Dictionary<string, List<(string Document, double Score)>> ReadRun(string path)
    {
        var run = new Dictionary<string, List<(string, double)>>();
        foreach (var columns in File.ReadAllLines(path).Select(l => l.Split(' ')))
        {
            if (!run.TryGetValue(columns[0], out var list))
            {
                run[columns[0]] = list = [];
            }

            list.Add((columns[2], double.Parse(columns[4], CultureInfo.InvariantCulture)));
        }

        return run;
    }
}
