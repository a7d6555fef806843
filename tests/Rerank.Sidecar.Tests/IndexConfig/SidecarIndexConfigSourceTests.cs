using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.IndexConfig;

namespace Rerank.Sidecar.Tests.IndexConfig;

public sealed class SidecarIndexConfigSourceTests : IAsyncLifetime
{
    private const string Valid = """{"version":1,"model":"m1","text_fields":["title","text"]}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestMeters _meters = new();
    private RecordingUpstream _upstream = null!;
    private UpstreamClient _client = null!;
    private SidecarIndexConfigSource _source = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await RecordingUpstream.StartAsync();
        var options = new SidecarOptions { Upstream = _upstream.Url, IndexConfigTtl = TimeSpan.FromSeconds(30) };
        _client = new UpstreamClient(options);
        _source = new SidecarIndexConfigSource(_client, options, new SidecarMetrics(_meters.Factory), _time, NullLogger<SidecarIndexConfigSource>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _upstream.DisposeAsync();
        _meters.Dispose();
    }

    private void AnswerMappings(string json, int status = 200) => _upstream.Respond = async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    };

    [Fact]
    public async Task GetAsync_IndexWithRerankMeta_ReadsItWithOnlyTheCallersAuthorization()
    {
        AnswerMappings("{\"books\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "},\"properties\":{\"title\":{\"type\":\"text\"}}}}}");

        var config = await _source.GetAsync("books", "Basic dXNlcjpwYXNz", TestContext.Current.CancellationToken);

        Assert.NotNull(config);
        Assert.Equal("m1", config.ModelId);
        Assert.Equal(["title", "text"], config.TextFields);
        Assert.Equal(100, config.Window); // documented default (docs/index-config.md)
        var request = Assert.Single(_upstream.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/books/_mapping", request.RawTarget);
        Assert.Equal("Basic dXNlcjpwYXNz", request.Headers["Authorization"]);
        Assert.DoesNotContain(request.Headers.Keys, k => k.StartsWith("X-Forwarded", StringComparison.OrdinalIgnoreCase) || k.Equals("Cookie", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetAsync_WithoutAuthorization_SendsNone()
    {
        AnswerMappings("""{"books":{"mappings":{}}}""");

        Assert.Null(await _source.GetAsync("books", null, TestContext.Current.CancellationToken));

        Assert.False(Assert.Single(_upstream.Requests).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task GetAsync_WithinTtl_AsksOnce_AfterTtl_AsksAgain()
    {
        using var lookups = new MetricCollector<long>(_meters.Factory, SidecarMetrics.MeterName, SidecarMetrics.IndexConfigLookupsName);
        AnswerMappings("{\"books\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}}}");
        var cancellation = TestContext.Current.CancellationToken;

        await _source.GetAsync("books", null, cancellation);
        _time.Advance(TimeSpan.FromSeconds(29));
        await _source.GetAsync("books", null, cancellation);
        Assert.Single(_upstream.Requests);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await _source.GetAsync("books", null, cancellation));

        Assert.Equal(2, _upstream.Requests.Count);
        var results = lookups.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!).ToList();
        Assert.Equal(["miss", "hit", "miss"], results);
    }

    [Fact]
    public async Task GetAsync_TtlZero_AsksEveryTime()
    {
        var options = new SidecarOptions { Upstream = _upstream.Url, IndexConfigTtl = TimeSpan.Zero };
        var source = new SidecarIndexConfigSource(_client, options, new SidecarMetrics(_meters.Factory), _time, NullLogger<SidecarIndexConfigSource>.Instance);
        AnswerMappings("{\"books\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}}}");

        await source.GetAsync("books", null, TestContext.Current.CancellationToken);
        await source.GetAsync("books", null, TestContext.Current.CancellationToken);

        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Fact]
    public async Task GetAsync_OtherIndexName_IsCachedSeparately()
    {
        AnswerMappings("""{"x":{"mappings":{}}}""");
        var cancellation = TestContext.Current.CancellationToken;

        await _source.GetAsync("a", null, cancellation);
        await _source.GetAsync("b", null, cancellation);
        await _source.GetAsync("a", null, cancellation);

        Assert.Equal(["/a/_mapping", "/b/_mapping"], _upstream.Requests.Select(r => r.RawTarget));
    }

    [Fact]
    public async Task GetAsync_ConcurrentCallers_ShareOneLookup()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Respond = async context =>
        {
            await gate.Task;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"books\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}}}");
        };

        var callers = Enumerable.Range(0, 8).Select(_ => _source.GetAsync("books", null, TestContext.Current.CancellationToken).AsTask()).ToList();
        while (_upstream.Requests.IsEmpty)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Task.Delay(100, TestContext.Current.CancellationToken);
        gate.SetResult();
        var configs = await Task.WhenAll(callers);

        Assert.Single(_upstream.Requests);
        Assert.All(configs, c => Assert.Equal("m1", c!.ModelId));
    }

    [Fact]
    public async Task Invalidate_NextLookup_AsksTheUpstreamAgain()
    {
        AnswerMappings("{\"books\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}}}");
        var cancellation = TestContext.Current.CancellationToken;
        await _source.GetAsync("books", null, cancellation);

        AnswerMappings("""{"books":{"mappings":{"_meta":{"rerank":{"version":1,"model":"m2","text_fields":["body"]}}}}}""");
        _source.Invalidate();
        var config = await _source.GetAsync("books", null, cancellation);

        Assert.Equal("m2", config!.ModelId);
        Assert.Equal(2, _upstream.Requests.Count);
    }

    [Theory]
    [InlineData("""{"books":{"mappings":{}}}""", 200)]
    [InlineData("""{"books":{"mappings":{"_meta":{"owner":"team-a"}}}}""", 200)]
    [InlineData("""{"books":{"mappings":{"_meta":{"rerank":{"version":1,"enabled":false,"model":"m1","text_fields":["t"]}}}}}""", 200)]
    [InlineData("""{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [books]"}],"type":"index_not_found_exception","reason":"no such index [books]"},"status":404}""", 404)]
    public async Task GetAsync_NoEnabledConfig_ReturnsNull_AndCachesIt(string body, int status)
    {
        AnswerMappings(body, status);
        var cancellation = TestContext.Current.CancellationToken;

        Assert.Null(await _source.GetAsync("books", null, cancellation));
        Assert.Null(await _source.GetAsync("books", null, cancellation));

        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task GetAsync_RefusedOrFailing_ReturnsNull_CountsIt_AndDoesNotCache(int status)
    {
        using var errors = new MetricCollector<long>(_meters.Factory, SidecarMetrics.MeterName, SidecarMetrics.UpstreamErrorsName);
        AnswerMappings("""{"error":"nope"}""", status);
        var cancellation = TestContext.Current.CancellationToken;

        Assert.Null(await _source.GetAsync("books", "Basic bad", cancellation));
        Assert.Null(await _source.GetAsync("books", "Basic bad", cancellation));

        Assert.Equal(2, _upstream.Requests.Count);
        var measurements = errors.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.All(measurements, m =>
        {
            Assert.Equal("status", m.Tags["error.type"]);
            Assert.Equal("index_config", m.Tags["source"]);
        });
    }

    [Fact]
    public async Task GetAsync_UpstreamDown_ReturnsNull_AsAConnectError()
    {
        var options = new SidecarOptions { Upstream = new Uri("http://127.0.0.1:1"), UpstreamConnectTimeout = TimeSpan.FromSeconds(2) };
        using var client = new UpstreamClient(options);
        var source = new SidecarIndexConfigSource(client, options, new SidecarMetrics(_meters.Factory), _time, NullLogger<SidecarIndexConfigSource>.Instance);
        using var errors = new MetricCollector<long>(_meters.Factory, SidecarMetrics.MeterName, SidecarMetrics.UpstreamErrorsName);

        Assert.Null(await source.GetAsync("books", null, TestContext.Current.CancellationToken));

        Assert.Equal("connect", Assert.Single(errors.GetMeasurementSnapshot()).Tags["error.type"]);
    }

    [Fact]
    public async Task GetAsync_InvalidMeta_ThrowsWithEveryError_AndCachesTheVerdict()
    {
        AnswerMappings("""{"books":{"mappings":{"_meta":{"rerank":{"model":"m1","text_fields":["t"],"window":0}}}}}""");
        var cancellation = TestContext.Current.CancellationToken;

        var first = await Assert.ThrowsAsync<RerankConfigException>(() => _source.GetAsync("books", null, cancellation).AsTask());
        var second = await Assert.ThrowsAsync<RerankConfigException>(() => _source.GetAsync("books", null, cancellation).AsTask());

        Assert.Equal("books", first.Index);
        Assert.Equal(2, first.Errors.Count);
        Assert.Contains(first.Errors, e => e.StartsWith("[_meta.rerank.version] is required", StringComparison.Ordinal));
        Assert.Contains(first.Errors, e => e.StartsWith("[_meta.rerank.window] must be an integer from 1 to 1000", StringComparison.Ordinal));
        Assert.Equal(first.Message, second.Message);
        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task GetAsync_AliasOverIndicesWithEqualConfigs_ReturnsTheConfig()
    {
        AnswerMappings("{\"books-1\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}},\"books-2\":{\"mappings\":{\"_meta\":{\"rerank\":{\"model\":\"m1\",\"text_fields\":[\"title\",\"text\"],\"version\":1,\"window\":100}}}}}");

        var config = await _source.GetAsync("books", null, TestContext.Current.CancellationToken);

        Assert.Equal("m1", config!.ModelId);
    }

    [Theory]
    [InlineData("""{"version":1,"model":"m2","text_fields":["title","text"]}""")]
    [InlineData("""{"version":1,"model":"m1","text_fields":["title"]}""")]
    [InlineData(null)]
    public async Task GetAsync_AliasOverIndicesWithDifferentConfigs_Throws(string? second)
    {
        var secondMappings = second is null ? "{}" : ("{\"_meta\":{\"rerank\":" + second + "}}");
        AnswerMappings("{\"books-1\":{\"mappings\":{\"_meta\":{\"rerank\":" + Valid + "}}},\"books-2\":{\"mappings\":" + secondMappings + "}}");

        var exception = await Assert.ThrowsAsync<RerankConfigException>(() => _source.GetAsync("books", null, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("[books-1]", exception.Message, StringComparison.Ordinal);
        Assert.Contains("[books-2]", exception.Message, StringComparison.Ordinal);
    }
}
