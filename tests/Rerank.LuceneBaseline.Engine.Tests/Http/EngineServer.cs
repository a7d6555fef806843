using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>A real engine on Kestrel at 127.0.0.1, port 0, over a fresh data directory, and a client for it.</summary>
public sealed class EngineServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly bool _ownsDirectory;

    private EngineServer(EngineHost host, TempDirectory directory, bool ownsDirectory)
    {
        Host = host;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Client = new HttpClient { BaseAddress = host.Urls[0] };
    }

    public EngineHost Host { get; }

    public HttpClient Client { get; }

    public string DataDirectory => _directory.Path;

    /// <summary>Starts an engine; with <paramref name="directory"/>, over that data directory (which the caller keeps).</summary>
    public static async Task<EngineServer> StartAsync(TempDirectory? directory = null, long maxContentLength = 100L * 1024 * 1024)
    {
        var dir = directory ?? new TempDirectory();
        var host = await EngineHost.StartAsync(new EngineHostOptions
        {
            DataDirectory = dir.Path,
            Urls = ["http://127.0.0.1:0"],
            MaxContentLength = maxContentLength,
        });
        return new EngineServer(host, dir, directory is null);
    }

    /// <summary>Sends a request; <paramref name="body"/> is JSON text (or NDJSON with <paramref name="contentType"/>).</summary>
    public async Task<EngineResponse> SendAsync(string method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new EngineResponse(response.StatusCode, text, response.Headers, response.Content.Headers);
    }

    public Task<EngineResponse> GetAsync(string path) => SendAsync("GET", path);

    public Task<EngineResponse> PutAsync(string path, string? body = null) => SendAsync("PUT", path, body);

    public Task<EngineResponse> PostAsync(string path, string? body = null) => SendAsync("POST", path, body);

    public Task<EngineResponse> DeleteAsync(string path) => SendAsync("DELETE", path);

    public Task<EngineResponse> BulkAsync(string path, string ndjson) => SendAsync("POST", path, ndjson, "application/x-ndjson");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
    }
}

/// <summary>An answer from the engine: status, body text and the body parsed as JSON (null when it is not JSON).</summary>
public sealed record EngineResponse(HttpStatusCode Status, string Text, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public int StatusCode => (int)Status;

    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("The body is JSON null.");

    public JsonObject Object => Json.AsObject();
}
