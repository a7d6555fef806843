using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rerank.Model.Runtime;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;
using Rerank.Sidecar.Search;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>
/// The search path on 127.0.0.1: the embedded engine (or a given fake upstream), a tiny real bundle, and the sidecar
/// with its scorer seen through a <see cref="FaultyQueryScorer"/>. Corpus helpers write documents through the sidecar
/// (so they get their vectors) and compute the expected ranking independently with the bundle loaded on its own.
/// </summary>
internal sealed class SearchStack : IAsyncDisposable
{
    private readonly TempDirectory _temp;
    private readonly EngineUpstream? _engine;
    private readonly SidecarHost _host;

    private SearchStack(TempDirectory temp, EngineUpstream? engine, SidecarHost host, string bundle, string modelId)
    {
        _temp = temp;
        _engine = engine;
        _host = host;
        Bundle = bundle;
        ModelId = modelId;
        Sidecar = new HttpClient { BaseAddress = host.Urls[0], Timeout = TimeSpan.FromMinutes(2) };
        if (engine is not null)
        {
            engine.Client.Timeout = TimeSpan.FromMinutes(2);
        }
    }

    public HttpClient Sidecar { get; }

    /// <summary>Straight to the engine (null with a fake upstream).</summary>
    public HttpClient Engine => _engine!.Client;

    public Uri SidecarUrl => _host.Urls[0];

    public string Bundle { get; }

    public string ModelId { get; }

    /// <summary>The sidecar's services (its meter factory, for metric assertions).</summary>
    public IServiceProvider Services => _host.Services;

    public FaultyQueryScorer Scorer => (FaultyQueryScorer)_host.Services.GetRequiredService<IQueryScorer>();

    public static async Task<SearchStack> StartAsync(
        SearchOptions? search = null, Uri? upstream = null, ILoggerFactory? loggerFactory = null, TimeSpan? upstreamActivityTimeout = null)
    {
        var temp = new TempDirectory();
        var bundle = Path.Combine(temp.Path, "models", "tiny");
        var modelId = TinyBundles.Write(bundle, seed: 23);
        var engine = upstream is null ? await EngineUpstream.StartAsync(TestContext.Current.CancellationToken) : null;
        try
        {
            var options = new SidecarOptions
            {
                Upstream = upstream ?? engine!.Url,
                Urls = ["http://127.0.0.1:0"],
                ModelsDirectory = Path.Combine(temp.Path, "models"),
                Search = search ?? new SearchOptions(),
            };
            if (upstreamActivityTimeout is { } activity)
            {
                options = options with { UpstreamActivityTimeout = activity };
            }

            var host = await SidecarHost.StartAsync(
                options, loggerFactory, timeProvider: null, meterFactory: null,
                configureServices: services => services.AddSingleton<IQueryScorer>(sp => new FaultyQueryScorer(new RegistryQueryScorer(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<ModelCallSlots>()))),
                TestContext.Current.CancellationToken);
            return new SearchStack(temp, engine, host, bundle, modelId);
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }

            temp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The mapping of an enabled index: title and text make the passage, genre a keyword to aggregate on. Score mode
    /// <c>model</c> unless <paramref name="extraMeta"/> names one: these tests check the order against the model's
    /// independent logits (the default, <c>linear</c>, fuses them with the first stage).
    /// </summary>
    public string Mapping(string extraMeta = "", string? modelId = null) =>
        """{"mappings":{"_meta":{"rerank":{"version":1,"model":""" + "\"" + (modelId ?? ModelId) + "\""
        + ""","text_fields":["title","text"]""" + (extraMeta.Contains("\"score_mode\"", StringComparison.Ordinal) ? "" : ",\"score_mode\":\"model\"")
        + extraMeta + "}},"
        + """
            "properties":{"title":{"type":"text"},"text":{"type":"text"},"genre":{"type":"keyword"},
             "rerank":{"properties":{"projection":{"type":"binary","doc_values":true},"model":{"type":"keyword"},
               "text_hash":{"type":"keyword"},"stale":{"type":"keyword"}}}}}}
            """;

    /// <summary>Creates <paramref name="index"/> through <paramref name="client"/> and writes <see cref="Corpus"/> into it with one refreshing bulk.</summary>
    public async Task CreateAsync(HttpClient client, string index, string mapping, int documents = 30)
    {
        await OkAsync(client, HttpMethod.Put, $"/{index}", mapping);
        var bulk = new StringBuilder();
        foreach (var (id, title, text, genre) in Corpus(documents))
        {
            bulk.Append($$$$"""{"index":{"_id":"{{{{id}}}}"}}""").Append('\n');
            bulk.Append(new JsonObject { ["title"] = title, ["text"] = text, ["genre"] = genre }.ToJsonString()).Append('\n');
        }

        var answer = await OkAsync(client, HttpMethod.Post, $"/{index}/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        Assert.False((bool)answer["errors"]!);
    }

    /// <summary>Documents that all match "river", with different term frequencies and lengths (so BM25 orders them).</summary>
    public static IEnumerable<(string Id, string Title, string Text, string Genre)> Corpus(int count)
    {
        string[] words = ["stone", "bridge", "mill", "forest", "harbour", "lantern", "orchard", "valley", "meadow", "tower", "canal", "island"];
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            for (var r = 0; r <= i % 4; r++)
            {
                text.Append("river ");
            }

            for (var w = 0; w < 3 + (i * 7 % 11); w++)
            {
                text.Append(words[(i * 5 + w * 3) % words.Length]).Append(' ');
            }

            yield return ($"d{i}", $"Chapter {i} of the {words[i % words.Length]}", text.ToString().TrimEnd(), (i % 3) switch { 0 => "poetry", 1 => "prose", _ => "drama" });
        }
    }

    /// <summary>The passage text of a corpus document (title and text joined by a space, docs/index-config.md).</summary>
    public static Dictionary<string, string> Passages(int count) =>
        Corpus(count).ToDictionary(d => d.Id, d => d.Title + " " + d.Text);

    /// <summary>
    /// Logits of <paramref name="query"/> against the passages, computed by the bundle loaded on its own: passages
    /// encoded, their projections rounded to float16 as stored (docs/index-config.md), the query encoded, one score call.
    /// </summary>
    public float[] IndependentLogits(string query, IReadOnlyList<string> passages, StudentBranch branch = StudentBranch.Asymmetric)
    {
        using var model = StudentModel.Load(Bundle);
        var encoded = model.EncodePassages(passages);
        var projections = encoded.Projections.Select(v => (float)(Half)v).ToArray();
        var embedding = model.EncodeQueries([query]);
        var logits = new float[passages.Count];
        model.Score(embedding, projections, branch, logits);
        return logits;
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        configure?.Invoke(request);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? parsed = null;
        try
        {
            parsed = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (response.StatusCode, parsed, response);
    }

    public static async Task<JsonNode> OkAsync(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var (status, json, response) = await SendAsync(client, method, path, body, contentType);
        using (response)
        {
            Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {json?.ToJsonString()}");
            return json!;
        }
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    public static List<string> Ids(JsonNode answer) => [.. answer["hits"]!["hits"]!.AsArray().Select(h => (string)h!["_id"]!)];

    public async ValueTask DisposeAsync()
    {
        Sidecar.Dispose();
        await _host.DisposeAsync();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _temp.Dispose();
    }
}
