using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Rerank.Cli.Bench;

/// <summary>
/// <c>rerank bench search</c>: the same queries sent three ways in one run, interleaved, against a running sidecar and
/// its upstream (docs/cli.md, "rerank bench search").
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Every query becomes one body, <c>{"size":S,"query":{"multi_match":{"query":Q,"fields":F}}}</c> (F = the index's
/// <c>_meta.rerank.text_fields</c>), sent three ways: straight to the upstream (<see cref="FirstStage"/>, the first stage
/// alone), through the sidecar with <c>"ext":{"rerank":{"window":W}}</c> (<see cref="Rerank"/>), and through the sidecar
/// with <c>"ext":{"rerank":{"enabled":false}}</c> (<see cref="Passthrough"/>).</item>
/// <item>Warm-up: the first <c>warmup</c> queries (cycling), each three ways, one client, not measured.</item>
/// <item>Per concurrency level c: c clients take query numbers from one counter (query = number mod the file's count)
/// and send each three ways one after the other, the order rotated by the number (so no way always runs first or
/// last); a client takes no new number once <c>duration</c> has passed or <c>maxQueries</c> numbers are taken, so every
/// way sends the same queries, the same number of times.</item>
/// <item>A way's latency is from sending to the whole answer read (client side). Percentiles and throughput use the
/// answers with a 2xx status; other statuses and failed sends are errors. The three ways share the wall clock, so a
/// way's throughput is what c clients sending only that way would reach at those latencies: c / mean latency.</item>
/// <item>Every sidecar answer's <c>X-Rerank</c> header is counted by value (<see cref="NoHeader"/> when absent).</item>
/// </list>
/// </remarks>
internal sealed class SearchBenchmark
{
    public const string FirstStage = "first_stage";
    public const string Rerank = "rerank";
    public const string Passthrough = "passthrough";

    /// <summary>The outcome counted for a sidecar answer without <c>X-Rerank</c>.</summary>
    public const string NoHeader = "none";

    private static readonly string[] Ways = [FirstStage, Rerank, Passthrough];

    private readonly Settings _settings;
    private readonly HttpClient _http;

    public SearchBenchmark(Settings settings, HttpClient http)
    {
        _settings = settings;
        _http = http;
    }

    /// <summary>What to send where.</summary>
    public sealed record Settings(
        Uri Sidecar,
        Uri Upstream,
        string Index,
        IReadOnlyList<string> TextFields,
        IReadOnlyList<string> Queries,
        TimeSpan Duration,
        int? MaxQueries,
        IReadOnlyList<int> Concurrency,
        int Window,
        int Size,
        int Warmup);

    /// <summary>One way at one level: latency and throughput of its 2xx answers, queries sent, errors, and the sidecar's <c>X-Rerank</c> values.</summary>
    public sealed record Way(string Name, LatencyStats Stats, int Queries, int Errors, IReadOnlyDictionary<string, int> Outcomes, string? FirstError);

    /// <summary>One concurrency level.</summary>
    public sealed record Level(int Concurrency, TimeSpan Elapsed, Way FirstStage, Way Rerank, Way Passthrough)
    {
        /// <summary>Rerank p50 minus first-stage p50, in ms: what reranking adds.</summary>
        public double RerankAddedP50Ms => Rerank.Stats.P50Ms - FirstStage.Stats.P50Ms;

        /// <summary>Pass-through queries/s over first-stage queries/s.</summary>
        public double PassthroughThroughputRatio => Passthrough.Stats.PerSecond / FirstStage.Stats.PerSecond;

        /// <summary>Rerank answers whose <c>X-Rerank</c> is not <c>applied</c>.</summary>
        public int RerankNotApplied => Rerank.Outcomes.Where(o => o.Key != "applied").Sum(o => o.Value);
    }

    public async Task<IReadOnlyList<Level>> RunAsync(CancellationToken cancellationToken)
    {
        var bodies = BuildBodies();
        if (_settings.Warmup > 0)
        {
            await MeasureAsync(bodies, 1, TimeSpan.MaxValue, _settings.Warmup, cancellationToken).ConfigureAwait(false);
        }

        var levels = new List<Level>();
        foreach (var concurrency in _settings.Concurrency)
        {
            levels.Add(await MeasureAsync(bodies, concurrency, _settings.Duration, _settings.MaxQueries, cancellationToken).ConfigureAwait(false));
        }

        return levels;
    }

    /// <summary>The three bodies of each query, in <see cref="Ways"/> order.</summary>
    internal (Uri Url, byte[] Body)[][] BuildBodies()
    {
        var fields = new JsonArray([.. _settings.TextFields.Select(f => JsonValue.Create(f))]);
        var upstream = SearchUrl(_settings.Upstream, _settings.Index);
        var sidecar = SearchUrl(_settings.Sidecar, _settings.Index);
        return [.. _settings.Queries.Select(query =>
        {
            JsonObject Body(JsonObject? rerank)
            {
                var body = new JsonObject
                {
                    ["size"] = _settings.Size,
                    ["query"] = new JsonObject { ["multi_match"] = new JsonObject { ["query"] = query, ["fields"] = fields.DeepClone() } },
                };
                if (rerank is not null)
                {
                    body["ext"] = new JsonObject { ["rerank"] = rerank };
                }

                return body;
            }

            return new (Uri, byte[])[]
            {
                (upstream, Encoding.UTF8.GetBytes(Body(null).ToJsonString())),
                (sidecar, Encoding.UTF8.GetBytes(Body(new JsonObject { ["window"] = _settings.Window }).ToJsonString())),
                (sidecar, Encoding.UTF8.GetBytes(Body(new JsonObject { ["enabled"] = false }).ToJsonString())),
            };
        })];
    }

    private static Uri SearchUrl(Uri server, string index) =>
        new(server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(index) + "/_search");

    private async Task<Level> MeasureAsync((Uri Url, byte[] Body)[][] bodies, int concurrency, TimeSpan duration, int? maxQueries, CancellationToken cancellationToken)
    {
        var recorders = Ways.Select(w => new Recorder(w)).ToArray();
        var next = -1;
        var clock = Stopwatch.StartNew();

        async Task ClientAsync()
        {
            while (clock.Elapsed < duration)
            {
                var number = Interlocked.Increment(ref next);
                if (maxQueries is { } max && number >= max)
                {
                    return;
                }

                var query = bodies[number % bodies.Length];
                for (var step = 0; step < Ways.Length; step++)
                {
                    var way = (number + step) % Ways.Length;
                    await SendAsync(query[way].Url, query[way].Body, recorders[way], cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(ClientAsync, cancellationToken))).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var ways = recorders.Select(r => r.ToWay(concurrency)).ToArray();
        return new Level(concurrency, elapsed, ways[0], ways[1], ways[2]);
    }

    private async Task SendAsync(Uri url, byte[] body, Recorder recorder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            string? outcome = null;
            if (recorder.Name != FirstStage)
            {
                outcome = response.Headers.TryGetValues("X-Rerank", out var values) ? string.Join(",", values) : NoHeader;
            }

            string? error = null;
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                error = $"{(int)response.StatusCode}: {OneLine(text)}";
            }

            recorder.Add(latency.TotalMilliseconds, outcome, error);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            recorder.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds, recorder.Name == FirstStage ? null : NoHeader, OneLine(exception.Message));
        }
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }

    /// <summary>One way's answers at one level. Thread-safe.</summary>
    private sealed class Recorder(string name)
    {
        private readonly List<double> _latencies = [];
        private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();
        private int _queries;
        private int _errors;
        private string? _firstError;

        public string Name { get; } = name;

        public void Add(double latencyMs, string? outcome, string? error)
        {
            lock (_lock)
            {
                _queries++;
                if (outcome is not null)
                {
                    _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
                }

                if (error is null)
                {
                    _latencies.Add(latencyMs);
                }
                else
                {
                    _errors++;
                    _firstError ??= error;
                }
            }
        }

        public Way ToWay(int concurrency)
        {
            lock (_lock)
            {
                // c clients busy for the sum of the latencies: the wall time this way alone would have taken (see remarks, 4).
                var busy = TimeSpan.FromMilliseconds(_latencies.Sum() / concurrency);
                var stats = new LatencyStats(_latencies.Count, busy, [.. _latencies]);
                return new Way(Name, stats, _queries, _errors, new Dictionary<string, int>(_outcomes.OrderBy(o => o.Key, StringComparer.Ordinal)), _firstError);
            }
        }
    }
}
