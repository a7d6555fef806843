using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Indexing;

namespace Rerank.Cli.Bench;

/// <summary>
/// The embedded engine over HTTP against in-process LuceneBaseline on the same collection, in one run: bulk
/// indexing rate, and search throughput and latency for the same queries (the baseline's flat BM25 and the engine's
/// <c>match</c> on the same joined field, top 100, ids and scores only).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The baseline index is built in a fresh folder (docs/s); the engine, started in this process on a free
/// port, takes the corpus through <c>_bulk</c> in batches (docs/s, every batch durable before it is acknowledged).</item>
/// <item>Both sides are warmed first (a throwaway build and bulk load, and <c>rounds</c> unmeasured search passes),
/// then <c>rounds</c> measured passes: one searcher, then <c>threads</c> at once. Latency is per query, client side.</item>
/// </list>
/// </remarks>
internal sealed class EngineBenchmark
{
    private readonly BeirDataset _dataset;
    private readonly int _rounds;
    private readonly int _threads;
    private readonly int _batchSize;

    public EngineBenchmark(BeirDataset dataset, int rounds, int threads, int batchSize)
    {
        _dataset = dataset;
        _rounds = rounds;
        _threads = threads;
        _batchSize = batchSize;
    }

    public sealed record Result(
        int Documents,
        int Queries,
        double BaselineIndexDocsPerSecond,
        double EngineBulkDocsPerSecond,
        LatencyStats BaselineOneThread,
        LatencyStats EngineOneClient,
        LatencyStats BaselineThreads,
        LatencyStats EngineThreads,
        int Threads);

    public async Task<Result> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var documents = _dataset.ReadCorpus().ToList();
        var queries = _dataset.Queries.Select(q => q.Text).ToList();

        // 1. The baseline: build once to warm the JIT, then build again measured.
        Bm25Index.OpenOrBuild(Path.Combine(workDirectory, "baseline-warmup"), _dataset.CorpusPath, documents, new Bm25IndexOptions()).Dispose();
        var stopwatch = Stopwatch.StartNew();
        using var index = Bm25Index.OpenOrBuild(Path.Combine(workDirectory, "baseline"), _dataset.CorpusPath, documents, new Bm25IndexOptions());
        var baselineIndexRate = documents.Count / stopwatch.Elapsed.TotalSeconds;

        await using var host = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = Path.Combine(workDirectory, "engine"), Urls = ["http://127.0.0.1:0"] },
            cancellationToken: cancellationToken);
        using var client = new HttpClient { BaseAddress = host.Urls[0] };
        const string Settings = """
            {"settings":{"number_of_replicas":0,"refresh_interval":"-1"},
             "mappings":{"dynamic":"strict","properties":{"contents":{"type":"text"}}}}
            """;
        var batches = documents.Chunk(_batchSize).Select(Ndjson).ToList();

        // The same for the engine: a throwaway index takes the whole corpus first.
        await SendAsync(client, HttpMethod.Put, "/warmup", Settings, "application/json", cancellationToken);
        foreach (var batch in batches)
        {
            await SendAsync(client, HttpMethod.Post, "/warmup/_bulk", batch, "application/x-ndjson", cancellationToken);
        }

        await SendAsync(client, HttpMethod.Delete, "/warmup", null, "application/json", cancellationToken);
        await SendAsync(client, HttpMethod.Put, "/bench", Settings, "application/json", cancellationToken);
        stopwatch.Restart();
        foreach (var batch in batches)
        {
            await SendAsync(client, HttpMethod.Post, "/bench/_bulk", batch, "application/x-ndjson", cancellationToken);
        }

        var engineBulkRate = documents.Count / stopwatch.Elapsed.TotalSeconds;
        await SendAsync(client, HttpMethod.Post, "/bench/_refresh", null, "application/json", cancellationToken);

        var bodies = queries.Select(q => new JsonObject
        {
            ["query"] = new JsonObject { ["match"] = new JsonObject { ["contents"] = q } },
            ["size"] = 100,
            ["_source"] = false,
        }.ToJsonString()).ToList();

        // 2. Warm both sides (as many passes as are measured, so tiered JIT has settled), then measure.
        Repeat(() => Measure(queries, _threads, q => index.Search(q, 100).Count));
        await RepeatAsync(() => MeasureAsync(bodies, _threads, body => SearchAsync(client, body, cancellationToken)));
        var baselineOne = Repeat(() => Measure(queries, 1, q => index.Search(q, 100).Count));
        var engineOne = await RepeatAsync(() => MeasureAsync(bodies, 1, body => SearchAsync(client, body, cancellationToken)));
        var baselineMany = Repeat(() => Measure(queries, _threads, q => index.Search(q, 100).Count));
        var engineMany = await RepeatAsync(() => MeasureAsync(bodies, _threads, body => SearchAsync(client, body, cancellationToken)));

        return new Result(documents.Count, queries.Count, baselineIndexRate, engineBulkRate, baselineOne, engineOne, baselineMany, engineMany, _threads);
    }

    private LatencyStats Repeat(Func<LatencyStats> pass) => Merge(Enumerable.Range(0, _rounds).Select(_ => pass()).ToList());

    private async Task<LatencyStats> RepeatAsync(Func<Task<LatencyStats>> pass)
    {
        var passes = new List<LatencyStats>();
        for (var i = 0; i < _rounds; i++)
        {
            passes.Add(await pass());
        }

        return Merge(passes);
    }

    private static LatencyStats Merge(List<LatencyStats> passes) =>
        new(passes.Sum(p => p.Operations), TimeSpan.FromTicks(passes.Sum(p => p.Elapsed.Ticks)), [.. passes.SelectMany(p => p.LatenciesMs)]);

    private static LatencyStats Measure(List<string> queries, int threads, Func<string, int> search)
    {
        var latencies = new double[queries.Count];
        var total = Stopwatch.StartNew();
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var started = Stopwatch.GetTimestamp();
            search(queries[i]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        return new LatencyStats(queries.Count, total.Elapsed, latencies);
    }

    private static async Task<LatencyStats> MeasureAsync(List<string> bodies, int clients, Func<string, Task> search)
    {
        var latencies = new double[bodies.Count];
        var next = -1;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var started = Stopwatch.GetTimestamp();
                await search(bodies[i]);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        await Task.WhenAll(workers);
        return new LatencyStats(bodies.Count, total.Elapsed, latencies);
    }

    private static async Task SearchAsync(HttpClient client, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/bench/_search", content, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, string? body, string contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{method} {path} failed with {(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}");
        }
    }

    /// <summary>The baseline's flat-mode field: title and text joined by one space, empty parts left out.</summary>
    private static string Ndjson(BeirDocument[] documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            var contents = string.Join(" ", new[] { document.Title, document.Text }.Where(v => v.Length > 0));
            text.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = document.Id } }.ToJsonString()).Append('\n');
            text.Append(new JsonObject { ["contents"] = contents }.ToJsonString()).Append('\n');
        }

        return text.ToString();
    }
}
