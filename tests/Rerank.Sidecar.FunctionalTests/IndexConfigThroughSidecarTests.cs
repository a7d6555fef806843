using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary>
/// <c>_meta.rerank</c> through the sidecar with the embedded engine upstream: checked at the door, cached with a TTL,
/// and the cache emptied when a mapping change passes through.
/// </summary>
public sealed class IndexConfigThroughSidecarTests : IAsyncLifetime
{
    private const string ValidMeta = """{"version":1,"model":"m1","text_fields":["title"]}""";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private EngineUpstream _engine = null!;
    private SidecarHost _sidecar = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _engine = await EngineUpstream.StartAsync(CancellationToken.None);
        _sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = _engine.Url, Urls = ["http://127.0.0.1:0"], MaxValidatedBodyBytes = 4096 },
            timeProvider: _time);
        _client = new HttpClient { BaseAddress = _sidecar.Urls[0] };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sidecar.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private static string IndexWithMeta(string rerank) => "{\"mappings\":{\"_meta\":{\"rerank\":" + rerank + "}}}";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private IIndexConfigSource Configs => _sidecar.Services.GetRequiredService<IIndexConfigSource>();

    [Fact]
    public async Task PutIndex_ValidRerankMeta_IsForwarded_AndTheEngineKeepsIt()
    {
        var cancellation = TestContext.Current.CancellationToken;

        using var response = await _client.PutAsync("/books", Json("{\"mappings\":{\"_meta\":{\"rerank\":" + ValidMeta + "},\"properties\":{\"title\":{\"type\":\"text\"}}}}"), cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mapping = JsonNode.Parse(await _engine.Client.GetStringAsync("/books/_mapping", cancellation))!;
        Assert.Equal("m1", (string)mapping["books"]!["mappings"]!["_meta"]!["rerank"]!["model"]!);
        var config = await Configs.GetAsync("books", null, cancellation);
        Assert.Equal("m1", config!.ModelId);
    }

    [Fact]
    public async Task PutIndex_InvalidRerankMeta_Is400IllegalArgument_WithEveryError_AndNotForwarded()
    {
        var cancellation = TestContext.Current.CancellationToken;

        using var response = await _client.PutAsync("/books", Json("""{"mappings":{"_meta":{"rerank":{"model":"m1","text_fields":[],"window":0}}}}"""), cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellation))!;
        Assert.Equal(400, (int)body["status"]!);
        Assert.Equal("illegal_argument_exception", (string)body["error"]!["type"]!);
        Assert.Equal("illegal_argument_exception", (string)body["error"]!["root_cause"]![0]!["type"]!);
        var reason = (string)body["error"]!["reason"]!;
        Assert.StartsWith("invalid [_meta.rerank] of index [books]: ", reason, StringComparison.Ordinal);
        Assert.Contains("[_meta.rerank.version] is required", reason, StringComparison.Ordinal);
        Assert.Contains("[_meta.rerank.text_fields]", reason, StringComparison.Ordinal);
        Assert.Contains("[_meta.rerank.window] must be an integer from 1 to 1000, got [0]", reason, StringComparison.Ordinal);
        using var head = await _engine.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/books"), cancellation);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task PutMapping_InvalidRerankMeta_InGzipBody_IsRefused_AndTheMappingIsUnchanged()
    {
        var cancellation = TestContext.Current.CancellationToken;
        (await _engine.Client.PutAsync("/books", Json(IndexWithMeta(ValidMeta)), cancellation)).EnsureSuccessStatusCode();
        using var content = new ByteArrayContent(Gzip("""{"_meta":{"rerank":{"version":2,"model":"m1","text_fields":["title"]}}}"""));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _client.PutAsync("/books/_mapping", content, cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[_meta.rerank.version]", await response.Content.ReadAsStringAsync(cancellation), StringComparison.Ordinal);
        var mapping = JsonNode.Parse(await _engine.Client.GetStringAsync("/books/_mapping", cancellation))!;
        Assert.Equal(1, (int)mapping["books"]!["mappings"]!["_meta"]!["rerank"]!["version"]!);
    }

    [Fact]
    public async Task PutMapping_BodyOverTheLimit_Is413_AndNotForwarded()
    {
        var cancellation = TestContext.Current.CancellationToken;
        (await _engine.Client.PutAsync("/books", Json("{}"), cancellation)).EnsureSuccessStatusCode();
        var big = "{\"_meta\":{\"note\":\"" + new string('x', 5000) + "\"}}";

        using var response = await _client.PutAsync("/books/_mapping", Json(big), cancellation);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var mapping = JsonNode.Parse(await _engine.Client.GetStringAsync("/books/_mapping", cancellation))!;
        Assert.Null(mapping["books"]!["mappings"]!["_meta"]);
    }

    [Fact]
    public async Task PutMapping_ThroughTheSidecar_EmptiesTheCache_WhileADirectChangeWaitsForTheTtl()
    {
        var cancellation = TestContext.Current.CancellationToken;
        (await _client.PutAsync("/books", Json(IndexWithMeta(ValidMeta)), cancellation)).EnsureSuccessStatusCode();
        Assert.Equal("m1", (await Configs.GetAsync("books", null, cancellation))!.ModelId);

        // Bypassing the sidecar: it cannot know, so it serves the cached config until the TTL (30 s) is up.
        (await _engine.Client.PutAsync("/books/_mapping", Json("""{"_meta":{"rerank":{"version":1,"model":"m2","text_fields":["title"]}}}"""), cancellation)).EnsureSuccessStatusCode();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("m1", (await Configs.GetAsync("books", null, cancellation))!.ModelId);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("m2", (await Configs.GetAsync("books", null, cancellation))!.ModelId);

        // Through the sidecar: seen at once, no time passing.
        using var response = await _client.PutAsync("/books/_mapping", Json("""{"_meta":{"rerank":{"version":1,"model":"m3","text_fields":["title"]}}}"""), cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("m3", (await Configs.GetAsync("books", null, cancellation))!.ModelId);

        // Disabling is a change too: the index is then passed through.
        (await _client.PutAsync("/books/_mapping", Json("""{"_meta":{"rerank":{"version":1,"enabled":false,"model":"m3","text_fields":["title"]}}}"""), cancellation)).EnsureSuccessStatusCode();
        Assert.Null(await Configs.GetAsync("books", null, cancellation));
    }

    [Fact]
    public async Task DeleteIndex_ThroughTheSidecar_EmptiesTheCache()
    {
        var cancellation = TestContext.Current.CancellationToken;
        (await _client.PutAsync("/books", Json(IndexWithMeta(ValidMeta)), cancellation)).EnsureSuccessStatusCode();
        Assert.NotNull(await Configs.GetAsync("books", null, cancellation));

        (await _client.DeleteAsync("/books", cancellation)).EnsureSuccessStatusCode();

        Assert.Null(await Configs.GetAsync("books", null, cancellation));
    }

    [Fact]
    public async Task DocumentWrite_ThroughTheSidecar_KeepsTheCache()
    {
        var cancellation = TestContext.Current.CancellationToken;
        (await _client.PutAsync("/books", Json(IndexWithMeta(ValidMeta)), cancellation)).EnsureSuccessStatusCode();
        await Configs.GetAsync("books", null, cancellation);
        (await _engine.Client.PutAsync("/books/_mapping", Json("""{"_meta":{"rerank":{"version":1,"model":"m2","text_fields":["title"]}}}"""), cancellation)).EnsureSuccessStatusCode();

        (await _client.PutAsync("/books/_doc/1", Json("""{"title":"Dune"}"""), cancellation)).EnsureSuccessStatusCode();

        Assert.Equal("m1", (await Configs.GetAsync("books", null, cancellation))!.ModelId);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
