using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Sidecar.Hosting;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Eval;

/// <summary>
/// <c>eval rerank --sidecar</c> with a <c>--query-template</c>, against a sidecar in front of the embedded engine on
/// 127.0.0.1: the placeholder takes query text with quotes and backslashes, and answers the sidecar did not rerank are
/// counted and listed, not hidden.
/// </summary>
public sealed class EvalRerankQueryTemplateTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private EngineHost? _engine;
    private SidecarHost? _sidecar;
    private string _data = "";

    private string Url => _sidecar!.Urls[0].ToString().TrimEnd('/');

    public async ValueTask InitializeAsync()
    {
        var models = Path.Combine(_temp.Path, "models");
        var bundle = Path.Combine(models, "tiny");
        var init = CliRunner.Run("model", "init", "--out", bundle, "--seed", "3", "--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8");
        Assert.True(init.ExitCode == 0, init.Error);
        _engine = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(_temp.Path, "engine"), Urls = ["http://127.0.0.1:0"] });
        _sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = _engine.Urls[0], Urls = ["http://127.0.0.1:0"], ModelsDirectory = models });
        var setup = CliRunner.Run("ingest", "init", "--cluster", Url, "--index", "notes", "--model", bundle, "--fields", "body");
        Assert.True(setup.ExitCode == 0, setup.Error);

        // Texts and queries with quotes and a backslash: the template's placeholder must stay valid JSON.
        var documents = new (string Id, string Body)[]
        {
            ("n1", "the \"quoted\" apple pie"), ("n2", "apple juice with C:\\path in it"), ("n3", "banana bread"), ("n4", "apple and banana salad"),
        };
        var bulk = new StringBuilder();
        foreach (var (id, body) in documents)
        {
            bulk.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = id } }.ToJsonString()).Append('\n');
            bulk.Append(new JsonObject { ["body"] = body }.ToJsonString()).Append('\n');
        }

        using var http = new HttpClient();
        using var content = new StringContent(bulk.ToString(), Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync($"{Url}/notes/_bulk?refresh=true", content);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !JsonNode.Parse(answer)!["errors"]!.GetValue<bool>(), answer);

        _data = new BeirFolderBuilder()
            .Document("n1", "", "unused offline")
            .Document("n2", "", "unused offline")
            .Document("n3", "", "unused offline")
            .Document("n4", "", "unused offline")
            .Query("q1", "\"quoted\" apple")
            .Query("q2", "C:\\path banana")
            .Judgment("q1", "n1", 1)
            .Judgment("q2", "n2", 1)
            .WriteTo(Path.Combine(_temp.Path, "data"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public void EvalRerank_TemplateWithQuotedQueries_EveryAnswerApplied()
    {
        var template = _temp.WriteFile("match.json", "{\"query\": {\"match\": {\"body\": \"{{query}}\"}}, \"_source\": [\"body\"]}");
        var firstStage = Path.Combine(_temp.Path, "first.run");
        var json = Path.Combine(_temp.Path, "match.json.out");

        var result = CliRunner.Run("eval", "rerank", "--data", _data, "--sidecar", Url, "--index", "notes", "--query-template", template, "--window", "3", "--first-stage-run", firstStage, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("X-Rerank: applied 2, fallback 0, skipped 0", result.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(2, doc.RootElement.GetProperty("sidecar").GetProperty("applied").GetInt32());
        Assert.Equal(2, doc.RootElement.GetProperty("sidecar").GetProperty("x_rerank").GetProperty("applied").GetInt32());

        // The first stage is the engine's match on each query (at most the window of 3): q1 matches n1, n2 and n4
        // ("apple"), "quoted" only n1, so n1 is first; q2 matches n3 and n4 ("banana") and n2 ("c", "path").
        var lines = File.ReadAllLines(firstStage).Select(l => l.Split(' ')).ToArray();
        Assert.Equal(["n1", "n2", "n4"], lines.Where(l => l[0] == "q1").Select(l => l[2]).Order());
        Assert.Equal("n1", lines.First(l => l[0] == "q1")[2]);
        Assert.Equal(["n2", "n3", "n4"], lines.Where(l => l[0] == "q2").Select(l => l[2]).Order());
        Assert.All(lines, l => Assert.Equal("rerank-sidecar-first-stage", l[5]));
    }

    [Fact]
    public void EvalRerank_AnswersNotReranked_AreCountedAndListed()
    {
        // A query under bool.filter carries no relevance text, so the sidecar skips it (docs/search.md, no_query_text).
        var template = _temp.WriteFile("filter.json", "{\"query\": {\"bool\": {\"filter\": [{\"match\": {\"body\": \"{{query}}\"}}]}}}");
        var json = Path.Combine(_temp.Path, "filter.json.out");

        var result = CliRunner.Run("eval", "rerank", "--data", _data, "--sidecar", Url, "--index", "notes", "--query-template", template, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("X-Rerank: applied 0, fallback 0, skipped 2", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning: 2 reranked answers were not applied (skipped:no_query_text 2)", result.Output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var sidecar = doc.RootElement.GetProperty("sidecar");
        Assert.Equal(2, sidecar.GetProperty("x_rerank").GetProperty("skipped:no_query_text").GetInt32());
        Assert.Equal(
            ["q1 skipped:no_query_text", "q2 skipped:no_query_text"],
            sidecar.GetProperty("not_applied").EnumerateArray().Select(n => n.GetProperty("query").GetString() + " " + n.GetProperty("x_rerank").GetString()));
    }

    [Fact]
    public void EvalRerank_TemplateNotJson_FailsNamingTheFile()
    {
        var template = _temp.WriteFile("broken.json", "{\"query\": {\"match\": {\"body\": \"{{query}}\"}}");

        var result = CliRunner.Run("eval", "rerank", "--data", _data, "--sidecar", Url, "--index", "notes", "--query-template", template);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {template}: with {{{{query}}}} replaced the template is not valid JSON: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalRerank_IndexWithoutRerankConfigAndNoTemplate_FailsAskingForATemplate()
    {
        using var http = new HttpClient();
        using var created = await http.PutAsync($"{Url}/plain", null, TestContext.Current.CancellationToken);
        Assert.True(created.IsSuccessStatusCode);

        var result = CliRunner.Run("eval", "rerank", "--data", _data, "--sidecar", Url, "--index", "plain");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: GET {Url}/plain/_mapping: no index of 'plain' has _meta.rerank, so its text fields are unknown; pass --query-template{Environment.NewLine}", result.Error);
    }
}
