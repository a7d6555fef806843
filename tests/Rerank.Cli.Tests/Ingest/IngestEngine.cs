using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.Cli.Tests.Ingest;

/// <summary>
/// The embedded engine on 127.0.0.1 (port 0, a temp data folder) and two tiny bundles made by <c>rerank model init</c>
/// (seeds 1 and 2: two models). Tests set up and read indices with plain HTTP and hand-written JSON, independently of
/// the code under test.
/// </summary>
public sealed class IngestEngine : IAsyncLifetime
{
    /// <summary>d and H of the bundles.</summary>
    public const int Dim = 16;
    public const int ProjectionDim = 8;

    private static readonly string[] SmallShape = ["--layers", "1", "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--iem-hidden", "8"];

    private readonly TempDirectory _temp = new();
    private EngineHost? _host;
    private int _indices;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    public string Url => _host!.Urls[0].ToString().TrimEnd('/');

    public string Bundle { get; private set; } = "";

    public string ModelId { get; private set; } = "";

    public string OtherBundle { get; private set; } = "";

    public string OtherModelId { get; private set; } = "";

    public TempDirectory Temp => _temp;

    public async ValueTask InitializeAsync()
    {
        (Bundle, ModelId) = InitBundle("bundle", 1);
        (OtherBundle, OtherModelId) = InitBundle("other", 2);
        _host = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(_temp.Path, "data"), Urls = ["http://127.0.0.1:0"] });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _temp.Dispose();
    }

    /// <summary>A fresh index name for one test.</summary>
    public string NewIndexName() => $"idx{Interlocked.Increment(ref _indices)}";

    /// <summary>sha256: and the lowercase hex SHA-256 of the UTF-8 text, written here from the definition in docs/index-config.md.</summary>
    public static string Sha256(string text) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, Url + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Sends and asserts a 2xx answer.</summary>
    public async Task<JsonNode?> OkAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        var (status, body) = await SendAsync(method, path, json, contentType);
        Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {body?.ToJsonString()}");
        return body;
    }

    /// <summary>Indexes documents (id, source) with one <c>_bulk</c> and refreshes.</summary>
    public async Task BulkAsync(string index, IEnumerable<(string Id, JsonObject Source)> documents)
    {
        var body = new StringBuilder();
        foreach (var (id, source) in documents)
        {
            body.Append(new JsonObject { ["index"] = new JsonObject { ["_index"] = index, ["_id"] = id } }.ToJsonString()).Append('\n');
            body.Append(source.ToJsonString()).Append('\n');
        }

        var answer = await OkAsync(HttpMethod.Post, "/_bulk?refresh=true", body.ToString(), "application/x-ndjson");
        Assert.False(answer!["errors"]!.GetValue<bool>(), answer.ToJsonString());
    }

    public async Task<JsonObject> SourceAsync(string index, string id) =>
        (await OkAsync(HttpMethod.Get, $"/{index}/_doc/{id}"))!["_source"]!.AsObject();

    /// <summary>Runs <c>rerank model encode --json</c> on <paramref name="texts"/>: one (embedding, projection) per text.</summary>
    public IReadOnlyList<(float[] Embedding, float[] Projection)> Encode(string bundle, IReadOnlyList<string> texts)
    {
        var file = _temp.WriteFile($"passages-{Guid.NewGuid():N}.txt", string.Join("\n", texts));
        var result = CliRunner.Run("model", "encode", "--model", bundle, "--passages", file, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Output)!;
        return [.. json["passages"]!.AsArray().Select(p => (
            p!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(),
            p["projection"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray()))];
    }

    private (string Directory, string ModelId) InitBundle(string name, int seed)
    {
        var directory = Path.Combine(_temp.Path, name);
        var result = CliRunner.Run(["model", "init", "--out", directory, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), .. SmallShape]);
        Assert.True(result.ExitCode == 0, result.Error);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")))!;
        return (directory, manifest["modelId"]!.GetValue<string>());
    }
}
