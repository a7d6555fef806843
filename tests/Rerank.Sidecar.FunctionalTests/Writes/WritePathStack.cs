using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;
using Rerank.Sidecar.Tests.Models;
using Rerank.TestUtilities;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// The whole write path on 127.0.0.1: the embedded engine (port 0), a tiny real bundle in a models directory, and the
/// sidecar (port 0) in front of the engine with its model registry seen through a <see cref="FaultyEncoderSource"/>.
/// Tests write through <see cref="Sidecar"/> and read, or write the same thing for comparison, through
/// <see cref="Engine"/>; both are plain HTTP with hand-written JSON.
/// </summary>
internal sealed class WritePathStack : IAsyncDisposable
{
    private readonly TempDirectory _temp;
    private readonly EngineUpstream _engine;
    private readonly SidecarHost _host;

    private WritePathStack(TempDirectory temp, EngineUpstream engine, SidecarHost host, string bundle, string modelId)
    {
        _temp = temp;
        _engine = engine;
        _host = host;
        Bundle = bundle;
        ModelId = modelId;
        Sidecar = new HttpClient { BaseAddress = host.Urls[0], Timeout = TimeSpan.FromMinutes(2) };
        Engine = engine.Client;
        Engine.Timeout = TimeSpan.FromMinutes(2);
    }

    /// <summary>Through the sidecar.</summary>
    public HttpClient Sidecar { get; }

    /// <summary>Straight to the engine.</summary>
    public HttpClient Engine { get; }

    public string SidecarUrl => _host.Urls[0].ToString().TrimEnd('/');

    public string EngineUrl => _engine.Url.ToString().TrimEnd('/');

    /// <summary>The bundle directory (inside the sidecar's models directory).</summary>
    public string Bundle { get; }

    public string ModelId { get; }

    public FaultyEncoderSource Encoders => (FaultyEncoderSource)_host.Services.GetRequiredService<IEncoderSource>();

    public TempDirectory Temp => _temp;

    public static async Task<WritePathStack> StartAsync(EncodingOptions? encoding = null)
    {
        var temp = new TempDirectory();
        var bundle = Path.Combine(temp.Path, "models", "tiny");
        var modelId = TinyBundles.Write(bundle, seed: 11);
        var engine = await EngineUpstream.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var options = new SidecarOptions
            {
                Upstream = engine.Url,
                Urls = ["http://127.0.0.1:0"],
                ModelsDirectory = Path.Combine(temp.Path, "models"),
                Encoding = encoding ?? new EncodingOptions(),
            };
            var host = await SidecarHost.StartAsync(
                options, loggerFactory: null, timeProvider: null, meterFactory: null,
                configureServices: services => services.AddSingleton<IEncoderSource>(sp => new FaultyEncoderSource(sp.GetRequiredService<ModelRegistry>())),
                TestContext.Current.CancellationToken);
            return new WritePathStack(temp, engine, host, bundle, modelId);
        }
        catch
        {
            await engine.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <summary><c>rerank ingest init</c> in-process against <paramref name="cluster"/> (the sidecar's or the engine's URL), text fields title and text.</summary>
    public Task InitAsync(string cluster, string index, params string[] extra) =>
        InProcessCli.OkAsync(["ingest", "init", "--cluster", cluster, "--index", index, "--model", Bundle, "--fields", "title,text", .. extra]);

    /// <summary><c>rerank ingest status --json</c> in-process.</summary>
    public async Task<JsonNode> StatusAsync(string cluster, string index) =>
        JsonNode.Parse(await InProcessCli.OkAsync("ingest", "status", "--cluster", cluster, "--index", index, "--json"))!;

    /// <summary>
    /// <c>rerank model encode --json</c> in-process: each text's u_p, encoded alone (the independent computation the
    /// stored vectors are compared with).
    /// </summary>
    public async Task<IReadOnlyList<float[]>> ProjectionsAsync(IReadOnlyList<string> texts)
    {
        var file = _temp.WriteFile($"passages-{Guid.NewGuid():N}.txt", string.Join("\n", texts));
        var json = JsonNode.Parse(await InProcessCli.OkAsync("model", "encode", "--model", Bundle, "--passages", file, "--json"))!;
        Assert.Equal(ModelId, (string)json["model"]!);
        return [.. json["passages"]!.AsArray().Select(p => p!["projection"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray())];
    }

    /// <summary>sha256: and the lowercase hex SHA-256 of the UTF-8 text, from the definition in docs/index-config.md.</summary>
    public static string Sha256(string text) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Sends and asserts a 2xx answer; returns the parsed body.</summary>
    public static async Task<JsonNode> OkAsync(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var (status, text) = await SendAsync(client, method, path, body, contentType);
        Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The stored source, read straight from the engine.</summary>
    public async Task<JsonObject> SourceAsync(string index, string id) =>
        (await OkAsync(Engine, HttpMethod.Get, $"/{index}/_doc/{Uri.EscapeDataString(id)}"))["_source"]!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Sidecar.Dispose();
        await _host.DisposeAsync();
        await _engine.DisposeAsync();
        _temp.Dispose();
    }
}
