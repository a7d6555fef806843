using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests;

/// <summary>An upstream that is down, silent or broken: an Elasticsearch-shaped 503, 504 or 502, quickly.</summary>
public sealed class UpstreamFailureTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void AssertElasticsearchError(JsonNode body, int status, string type)
    {
        Assert.Equal(status, (int)body["status"]!);
        Assert.Equal(type, (string)body["error"]!["type"]!);
        var cause = Assert.Single(body["error"]!["root_cause"]!.AsArray());
        Assert.Equal(type, (string)cause!["type"]!);
        Assert.Equal((string)body["error"]!["reason"]!, (string)cause["reason"]!);
    }

    [Fact]
    public async Task Forward_UpstreamRefusesConnections_Answers503ElasticsearchShaped_Quickly()
    {
        var upstream = new Uri($"http://127.0.0.1:{ClosedPort()}");
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = upstream, Urls = ["http://127.0.0.1:0"] }, cancellationToken: TestContext.Current.CancellationToken);
        var meters = sidecar.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var errors = new MetricCollector<long>(meters, SidecarMetrics.MeterName, SidecarMetrics.UpstreamErrorsName);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync("/books/_count", TestContext.Current.CancellationToken);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        AssertElasticsearchError(body, 503, "connect_exception");
        Assert.StartsWith($"cannot connect to the upstream [{upstream.ToString().TrimEnd('/')}]", (string)body["error"]!["reason"]!, StringComparison.Ordinal);
        var error = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal("connect", error.Tags["error.type"]);
        Assert.Equal("forward", error.Tags["source"]);
    }

    [Fact]
    public async Task Forward_UpstreamGoesSilent_Answers504AfterTheActivityTimeout()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.Respond = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions
        {
            Upstream = upstream.Url,
            Urls = ["http://127.0.0.1:0"],
            UpstreamActivityTimeout = TimeSpan.FromMilliseconds(500),
        }, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync("/books/_count", TestContext.Current.CancellationToken);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        AssertElasticsearchError(JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!, 504, "timeout_exception");
    }

    [Fact]
    public async Task Forward_UpstreamDropsTheConnection_Answers502()
    {
        await using var upstream = await RecordingUpstream.StartAsync();
        upstream.Respond = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = upstream.Url, Urls = ["http://127.0.0.1:0"] }, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        AssertElasticsearchError(JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!, 502, "upstream_exception");
    }
}
