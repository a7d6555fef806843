using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Diagnostics;

/// <summary>The engine's instruments, read back with <see cref="MetricCollector{T}"/> on a meter factory of the test's own.</summary>
public sealed class EngineMetricsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _temp.Dispose();
    }

    private IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Requests_TaggedByMethodRouteTemplateAndStatus()
    {
        using var collector = new MetricCollector<double>(MeterFactory, EngineMetrics.MeterName, EngineMetrics.RequestDurationName);
        var token = TestContext.Current.CancellationToken;
        await using var host = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = _temp.Path, Urls = ["http://127.0.0.1:0"] }, meterFactory: MeterFactory, cancellationToken: token);
        using var client = new HttpClient { BaseAddress = host.Urls[0] };

        Assert.Equal(200, await StatusAsync(client, HttpMethod.Put, "/books", null));
        Assert.Equal(201, await StatusAsync(client, HttpMethod.Put, "/books/_doc/a%2Fb?refresh=true", """{"title": "one"}"""));
        Assert.Equal(200, await StatusAsync(client, HttpMethod.Get, "/books/_search", null));
        Assert.Equal(404, await StatusAsync(client, HttpMethod.Get, "/missing/_search", null));
        Assert.Equal(400, await StatusAsync(client, HttpMethod.Get, "/_nodes", null)); // no such API: no route
        Assert.Equal(405, await StatusAsync(client, HttpMethod.Delete, "/_search", null));
        Assert.Equal(405, await StatusAsync(client, new HttpMethod("BREW"), "/books", null));

        // The answer reaches the client just before the handler records it.
        await collector.WaitForMeasurementsAsync(7, TimeSpan.FromSeconds(10));
        var seen = collector.GetMeasurementSnapshot().Select(m => (
            Method: (string)m.Tags["http.request.method"]!,
            Route: m.Tags.TryGetValue("http.route", out var route) ? (string?)route : null,
            Status: (int)m.Tags["http.response.status_code"]!)).ToList();
        (string Method, string? Route, int Status)[] expected =
        [
            ("PUT", "/{index}", 200),
            ("PUT", "/{index}/_doc/{id}", 201),
            ("GET", "/{index}/_search", 200),
            ("GET", "/{index}/_search", 404),
            ("GET", null, 400),
            ("DELETE", "/_search", 405),
            ("_OTHER", "/{index}", 405),
        ];

        // Each is recorded after its answer is sent, so two neighbours may be recorded in either order.
        Assert.Equal(expected.Order(), seen.Order());
        Assert.All(collector.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        Assert.Equal("s", collector.Instrument!.Unit);
    }

    [Fact]
    public async Task StartAsync_NoMeterFactoryGiven_HostRecordsOnItsOwn()
    {
        var recorded = new List<(string? Route, int Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == EngineMetrics.RequestDurationName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            var route = tags.ToArray().FirstOrDefault(t => t.Key == "http.route").Value as string;
            var status = (int)tags.ToArray().First(t => t.Key == "http.response.status_code").Value!;
            lock (recorded)
            {
                recorded.Add((route, status));
            }
        });
        listener.Start();
        var token = TestContext.Current.CancellationToken;
        await using var host = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = _temp.Path, Urls = ["http://127.0.0.1:0"] }, cancellationToken: token);
        using var client = new HttpClient { BaseAddress = host.Urls[0] };

        Assert.Equal(404, await StatusAsync(client, HttpMethod.Get, "/metrics-default-factory/_count", null));

        for (var wait = 0; wait < 100 && !Contains(); wait++)
        {
            await Task.Delay(50, token);
        }

        Assert.True(Contains());

        bool Contains()
        {
            lock (recorded)
            {
                return recorded.Contains(("/{index}/_count", 404));
            }
        }
    }

    [Fact]
    public void Writes_AndCommits_DurationsInSecondsOnTheInjectedClock()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(1500));
        using var writes = new MetricCollector<double>(MeterFactory, EngineMetrics.MeterName, EngineMetrics.WriteDurationName);
        using var commits = new MetricCollector<double>(MeterFactory, EngineMetrics.MeterName, EngineMetrics.CommitDurationName);
        using var catalog = OpenCatalog(clock);
        var index = catalog.CreateIndex("books", null);

        index.Index("1", Json("""{"title": "one"}"""), WriteOptions.Default);
        index.Update("1", new UpdateRequest { Doc = Json("""{"title": "two"}""") }, WriteOptions.Default);
        index.Delete("1", WriteOptions.Default);
        index.Commit();

        // Each duration spans exactly two clock reads: one step, 1.5 seconds.
        Assert.Equal(
            [("index", 1.5), ("update", 1.5), ("delete", 1.5)],
            writes.GetMeasurementSnapshot().Select(m => ((string)m.Tags["rerank.engine.operation"]!, m.Value)));
        Assert.Equal([1.5], commits.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal("s", writes.Instrument!.Unit);
        Assert.Equal("s", commits.Instrument!.Unit);
    }

    [Fact]
    public void Search_TookAndDurationFollowTheInjectedClock()
    {
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(1500));
        using var searches = new MetricCollector<double>(MeterFactory, EngineMetrics.MeterName, EngineMetrics.SearchDurationName);
        using var catalog = OpenCatalog(clock);
        var index = catalog.CreateIndex("books", null);
        index.Index("1", Json("""{"title": "one"}"""), WriteOptions.Default);
        index.Refresh();
        var parameters = new SearchParameters { Time = clock, Metrics = catalog.Metrics };

        using var lease = index.AcquireSearcher();
        var response = SearchExecutor.Search([lease.Target], Json("""{"query": {"match": {"title": "one"}}}"""), parameters, CancellationToken.None);
        var count = SearchExecutor.Count([lease.Target], null, parameters, CancellationToken.None);

        // A system clock would say 0 or a few milliseconds: the injected one moves 1.5 s at each read, and the search
        // reads it at its start, its end and (for the query phase's time bound) in between, so took is a whole
        // number of steps, at least one.
        var took = response["took"]!.GetValue<long>();
        Assert.True(took >= 1500 && took % 1500 == 0, $"took {took}");
        Assert.Equal(1, count["count"]!.GetValue<long>());
        var measured = searches.GetMeasurementSnapshot()
            .Select(m => ((string)m.Tags["rerank.engine.operation"]!, (bool)m.Tags["rerank.engine.timed_out"]!, m.Value)).ToList();
        Assert.Equal(("search", false, took / 1000.0), measured[0]);
        Assert.Equal("count", measured[1].Item1);
        Assert.True(measured[1].Value >= 1.5 && measured[1].Value % 1.5 == 0, $"count duration {measured[1].Value}");
    }

    [Theory]
    [InlineData("1500ms", true, 2047)]
    [InlineData("1h", false, 3000)]
    public void Search_Timeout_MeasuredOnTheInjectedClock(string timeout, bool timedOut, long hits)
    {
        // The collector checks the clock every 1,024 documents; each read moves it 1 s. At document 1,024 one second has
        // passed (not over 1.5 s); at 2,048 two have, so the search stops with the 2,047 documents collected before.
        var clock = new SteppingClock(TimeSpan.FromSeconds(1));
        using var catalog = OpenCatalog(clock);
        var index = catalog.CreateIndex("numbers", Json("""{"settings": {"index.refresh_interval": "-1"}}"""));
        for (var i = 0; i < 3000; i++)
        {
            index.Index(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Json("""{"n": 1}"""), WriteOptions.Default);
        }

        index.Refresh();
        using var lease = index.AcquireSearcher();

        var response = SearchExecutor.Search(
            [lease.Target],
            Json("""{"size": 0, "track_total_hits": true, "query": {"match_all": {}}, "timeout": """ + $"\"{timeout}\"}}"),
            new SearchParameters { Time = clock },
            CancellationToken.None);

        Assert.Equal(timedOut, response["timed_out"]!.GetValue<bool>());
        Assert.Equal(hits, response["hits"]!["total"]!["value"]!.GetValue<long>());
    }

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static async Task<int> StatusAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }

    private IndexCatalog OpenCatalog(TimeProvider clock) =>
        new(_temp.Path, new EngineOptions(), clock, new StoreDiagnostics(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, new EngineMetrics(MeterFactory)));
}
