using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.Cli.Bench;

/// <summary>
/// The embedded engine over HTTP against in-process LuceneBaseline on the same collection, in one run: bulk
/// indexing rate, and search throughput and latency for the same queries (the baseline's flat BM25 and the engine's
/// <c>match</c> on the same joined field, top 100, ids and scores only).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The baseline index is built in a fresh folder (docs/s, ending with its merge to one segment); the engine,
/// started in this process on a free port, takes the corpus through <c>_bulk</c> in batches (docs/s, every batch
/// durable before it is acknowledged), then <c>_forcemerge</c> to one segment, as a user ends a bulk load.</item>
/// <item>Both sides are warmed first (a throwaway build and bulk load, one unmeasured search pass each), then
/// <c>rounds</c> interleaved rounds of four passes: baseline and engine with one searcher, then with <c>threads</c>.
/// Latency is per query, client side.</item>
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

        // 1. The baseline: build once to warm the JIT, then build again measured. It scores as the engine does
        // (Elasticsearch's BM25), so both sides compute the same hits and scores.
        var options = new Bm25IndexOptions { Scoring = Bm25Scoring.Elasticsearch };
        Bm25Index.OpenOrBuild(Path.Combine(workDirectory, "baseline-warmup"), _dataset.CorpusPath, documents, options).Dispose();
        var stopwatch = Stopwatch.StartNew();
        using var index = Bm25Index.OpenOrBuild(Path.Combine(workDirectory, "baseline"), _dataset.CorpusPath, documents, options);
        var baselineIndexRate = documents.Count / stopwatch.Elapsed.TotalSeconds;

        await using var host = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = Path.Combine(workDirectory, "engine"), Urls = ["http://127.0.0.1:0"] },
            cancellationToken: cancellationToken);
        using var client = new HttpClient { BaseAddress = host.Urls[0] };
        const string Settings = """
            {"settings":{"number_of_replicas":0,"refresh_interval":"-1"},
             "mappings":{"dynamic":"strict","properties":{"contents":{"type":"text"}}}}
            """;
        var batches = documents.Chunk(_batchSize).Select(batch => BeirBulkBody.Build(batch)).ToList();

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

        // The baseline's build ends merged to one segment; an Elasticsearch user ends a bulk load the same way, and
        // the merge counts in the engine's indexing time as it does in the baseline's.
        await SendAsync(client, HttpMethod.Post, "/bench/_forcemerge?max_num_segments=1", null, "application/json", cancellationToken);
        var engineBulkRate = documents.Count / stopwatch.Elapsed.TotalSeconds;

        var bodies = queries.Select(q => new JsonObject
        {
            ["query"] = new JsonObject { ["match"] = new JsonObject { ["contents"] = q } },
            ["size"] = 100,
            ["_source"] = false,
        }.ToJsonString()).ToList();

        // 2. Warm both sides, then measure in interleaved rounds so that background work (tiered JIT, GC) falls on
        // every series alike rather than on whichever runs first.
        Measure(queries, _threads, q => index.Search(q, 100).Count);
        await MeasureAsync(bodies, _threads, body => SearchAsync(client, body, cancellationToken));
        List<LatencyStats> baselineOne = [], engineOne = [], baselineMany = [], engineMany = [];
        for (var round = 0; round < _rounds; round++)
        {
            baselineOne.Add(Measure(queries, 1, q => index.Search(q, 100).Count));
            engineOne.Add(await MeasureAsync(bodies, 1, body => SearchAsync(client, body, cancellationToken)));
            baselineMany.Add(Measure(queries, _threads, q => index.Search(q, 100).Count));
            engineMany.Add(await MeasureAsync(bodies, _threads, body => SearchAsync(client, body, cancellationToken)));
        }

        return new Result(
            documents.Count, queries.Count, baselineIndexRate, engineBulkRate, Merge(baselineOne), Merge(engineOne), Merge(baselineMany), Merge(engineMany), _threads);
    }

    private static LatencyStats Merge(List<LatencyStats> passes) =>
        new(passes.Sum(p => p.Operations), TimeSpan.FromTicks(passes.Sum(p => p.Elapsed.Ticks)), [.. passes.SelectMany(p => p.LatenciesMs)]);

    private static LatencyStats Measure(List<string> queries, int threads, Func<string, int> search)
    {
        var latencies = new double[queries.Count];
        var next = -1;
        var total = Stopwatch.StartNew();

        // Dedicated threads pulling from one counter, the same scheme as the HTTP clients use.
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < queries.Count)
            {
                var started = Stopwatch.GetTimestamp();
                search(queries[i]);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
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
}
