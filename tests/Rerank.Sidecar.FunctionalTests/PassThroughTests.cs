using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary>The sidecar in front of a recording upstream: what the client sends reaches it unchanged, and back.</summary>
public sealed class PassThroughTests : IAsyncLifetime
{
    private RecordingUpstream _upstream = null!;
    private SidecarHost _sidecar = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await RecordingUpstream.StartAsync();
        _sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = _upstream.Url, Urls = ["http://127.0.0.1:0"] });
        // No decompression, no redirects, no cookies: the client sees the bytes on the wire.
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, AllowAutoRedirect = false, UseCookies = false, UseProxy = false })
        {
            BaseAddress = _sidecar.Urls[0],
        };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _sidecar.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Forward_RequestWithBodyAndHeaders_ReachesTheUpstreamUnchanged()
    {
        var body = new byte[70_000];
        new Random(7).NextBytes(body);
        // Sent as written: the client's own Uri would otherwise canonicalise %41 to A before the sidecar sees it.
        var target = new Uri(_sidecar.Urls[0], "/").ToString().TrimEnd('/') + "/books/_doc/a%2Fb%20c%41?refresh=wait_for&routing=x%2By&pretty";
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey c2VjcmV0OmtleQ==");
        request.Headers.TryAddWithoutValidation("X-Opaque-Id", "trace-42");
        request.Headers.TryAddWithoutValidation("X-Custom", "a, b");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.elasticsearch+json") { CharSet = null };
        request.Content.Headers.ContentType.Parameters.Add(new NameValueHeaderValue("compatible-with", "8"));

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A document write first looks up the index's _meta.rerank, with the caller's credentials.
        var lookup = Assert.Single(_upstream.Requests, r => r.Method == "GET");
        Assert.Equal("/books/_mapping", lookup.RawTarget);
        Assert.Equal("ApiKey c2VjcmV0OmtleQ==", lookup.Headers["Authorization"]);
        var seen = Assert.Single(_upstream.Requests, r => r.Method != "GET");
        Assert.Equal("PUT", seen.Method);
        Assert.Equal("/books/_doc/a%2Fb%20c%41?refresh=wait_for&routing=x%2By&pretty", seen.RawTarget);
        Assert.Equal("ApiKey c2VjcmV0OmtleQ==", seen.Headers["Authorization"]);
        Assert.Equal("trace-42", seen.Headers["X-Opaque-Id"]);
        Assert.Equal("a, b", seen.Headers["X-Custom"]);
        Assert.Equal("application/vnd.elasticsearch+json; compatible-with=8", seen.Headers["Content-Type"]);
        Assert.Equal("70000", seen.Headers["Content-Length"]);
        Assert.Equal(body, seen.Body);
        // The upstream's own authority, as a hosted cluster routes on it; nothing the client did not send.
        Assert.Equal($"{_upstream.Url.Host}:{_upstream.Url.Port}", seen.Headers["Host"]);
        Assert.DoesNotContain(seen.Headers.Keys, k => k.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase) || k is "traceparent" or "Via" or "Forwarded");
    }

    [Fact]
    public async Task Forward_WithoutAuthorization_AddsNone()
    {
        using var response = await _client.GetAsync("/_cluster/health", TestContext.Current.CancellationToken);

        Assert.False(Assert.Single(_upstream.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Forward_ErrorStatusHeadersAndBody_ComeBackUnchanged()
    {
        const string Body = """{"error":{"root_cause":[{"type":"version_conflict_engine_exception","reason":"[1]: version conflict"}],"type":"version_conflict_engine_exception","reason":"[1]: version conflict"},"status":409}""";
        _upstream.Respond = async context =>
        {
            context.Response.StatusCode = 409;
            context.Response.ContentType = "application/json; charset=UTF-8";
            context.Response.Headers["X-elastic-product"] = "Elasticsearch";
            context.Response.Headers["Warning"] = "299 Elasticsearch-8.15.0 \"deprecated\"";
            await context.Response.WriteAsync(Body);
        };

        using var response = await _client.PostAsync("/books/_create/1", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(Body, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Elasticsearch", response.Headers.GetValues("X-elastic-product").Single());
        Assert.Equal("299 Elasticsearch-8.15.0 \"deprecated\"", response.Headers.GetValues("Warning").Single());
        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Forward_GzipBodiesBothWays_AreUntouchedByteForByte()
    {
        var requestGzip = Gzip("{\"query\":{\"match\":{\"title\":\"dune\"}}}");
        var responseGzip = Gzip("{\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"},\"hits\":[]}}");
        _upstream.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = responseGzip.Length;
            await context.Response.Body.WriteAsync(responseGzip);
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/books/_search") { Content = new ByteArrayContent(requestGzip) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        // The search path looks up the index's _meta.rerank first (GET /books/_mapping); the search itself is untouched.
        var seen = Assert.Single(_upstream.Requests, r => r.RawTarget == "/books/_search");
        Assert.Equal("gzip", seen.Headers["Content-Encoding"]);
        Assert.Equal("gzip", seen.Headers["Accept-Encoding"]);
        Assert.Equal(requestGzip, seen.Body);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(responseGzip.Length, response.Content.Headers.ContentLength);
        Assert.Equal(responseGzip, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Forward_ChunkedRequest_ArrivesChunkedAndWhole()
    {
        var ndjson = string.Concat(Enumerable.Range(0, 500).Select(i => $"{{\"index\":{{\"_id\":\"{i}\"}}}}\n{{\"n\":{i}}}\n"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_bulk") { Content = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(ndjson))) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        var seen = Assert.Single(_upstream.Requests);
        Assert.Equal("chunked", seen.Headers["Transfer-Encoding"]);
        Assert.False(seen.Headers.ContainsKey("Content-Length"));
        Assert.Equal(ndjson, Encoding.UTF8.GetString(seen.Body));
    }

    [Fact]
    public async Task Forward_Response_IsStreamedBeforeTheUpstreamFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"first\":true,");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.WriteAsync("\"second\":true}");
        };
        var cancellation = TestContext.Current.CancellationToken;

        using var response = await _client.GetAsync("/_stream", HttpCompletionOption.ResponseHeadersRead, cancellation);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        var first = new byte[14];
        await body.ReadExactlyAsync(first, cancellation);

        Assert.Equal("{\"first\":true,", Encoding.UTF8.GetString(first));
        Assert.True(response.Headers.TransferEncodingChunked);
        release.SetResult();
        Assert.Equal("\"second\":true}", await new StreamReader(body).ReadToEndAsync(cancellation));
    }

    [Fact]
    public async Task Forward_Head_ReturnsTheUpstreamHeadersWithoutABody()
    {
        _upstream.Respond = context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 123;
            return Task.CompletedTask;
        };

        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/books"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(123, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("HEAD", Assert.Single(_upstream.Requests).Method);
    }

    [Theory]
    [InlineData("DELETE", 404)]
    [InlineData("GET", 400)]
    [InlineData("POST", 429)]
    [InlineData("OPTIONS", 200)]
    public async Task Forward_AnyMethodAndStatus_PassesThrough(string method, int status)
    {
        _upstream.Respond = context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        };

        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/books/_doc/1"), TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        // A POST to _doc is a write: the sidecar looks up the index's _meta.rerank first.
        Assert.Equal(method, Assert.Single(_upstream.Requests, r => r.RawTarget != "/books/_mapping").Method);
    }

    [Fact]
    public async Task Forward_ValidRerankMetaInAGzipMappingChange_IsForwardedWithTheSameBytes()
    {
        var gzip = Gzip("""{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title"]}},"properties":{"title":{"type":"text"}}}""");
        using var content = new ByteArrayContent(gzip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _client.PutAsync("/books/_mapping?master_timeout=30s", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(_upstream.Requests);
        Assert.Equal("/books/_mapping?master_timeout=30s", seen.RawTarget);
        Assert.Equal(gzip, seen.Body);
        Assert.Equal(gzip.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), seen.Headers["Content-Length"]);
        Assert.Equal("gzip", seen.Headers["Content-Encoding"]);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    /// <summary>A readable stream that does not say its length, so HttpClient sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
