using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rerank.Cli.Ingest;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Encoding;
using Rerank.IngestPipeline.MappingBootstrap;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.Model.Bundle;
using Rerank.Sidecar.Hosting;

namespace Rerank.Cli.Bench;

/// <summary>
/// <c>rerank bench ingest</c>: <c>_bulk</c> documents per second through the sidecar (passage vectors added on the
/// way) against the same bulks sent straight to the engine, in one process and one run (docs/write-path.md, "Benchmark").
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The embedded engine starts on a free loopback port (a temp data folder) and a <see cref="SidecarHost"/> in
/// front of it with the bundle as its models directory. Every pass writes the whole corpus, as bulks of
/// <c>batch</c> documents (<c>contents</c>, <c>title</c>, <c>text</c>; the same bytes for both sides) sent by
/// <c>clients</c> concurrent clients, into a fresh index: straight to the engine (the baseline), or through the sidecar
/// into an index set up like <c>rerank ingest init</c> does (<c>_meta.rerank</c> on title and text, the default
/// float16 projection). Only the bulks are timed; the index is refreshed afterwards.</item>
/// <item>After a throwaway pass on each side (the engine's on the whole corpus, the sidecar's on one bulk per
/// client), <c>rounds</c> rounds each run a direct pass, then a sidecar pass with the default
/// <see cref="EncodingOptions"/>. Then each grid cell starts a sidecar with that MaxBatch and MaxDelay and runs a
/// direct pass and a sidecar pass, so each cell's ratio is taken against a direct pass of the same moment.</item>
/// <item>After every sidecar pass the index is counted as <c>rerank ingest status</c> counts it
/// (<see cref="IndexStatusCounter"/>), and after every direct pass its documents are counted: the caller fails the
/// bench unless every sidecar-indexed document is current and every pass holds the whole corpus.</item>
/// </list>
/// </remarks>
internal sealed class IngestBenchmark
{
    private const string IndexBody = """
        {"settings":{"number_of_replicas":0,"refresh_interval":"-1"},
         "mappings":{"properties":{"contents":{"type":"text"},"title":{"type":"text"},"text":{"type":"text"}}}}
        """;

    private readonly IReadOnlyList<BeirDocument> _documents;
    private readonly string _bundle;
    private readonly int _rounds;
    private readonly int _batchSize;
    private readonly int _clients;
    private readonly IngestGrid _grid;
    private readonly ILoggerFactory? _loggerFactory;
    private int _indices;

    public IngestBenchmark(IReadOnlyList<BeirDocument> documents, string bundleDirectory, int rounds, int batchSize, int clients, IngestGrid grid, ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory;
        _documents = documents;
        _bundle = bundleDirectory;
        _rounds = rounds;
        _batchSize = batchSize;
        _clients = clients;
        _grid = grid;
    }

    /// <summary>
    /// One direct pass and the sidecar pass compared with it: the sidecar's MaxBatch and MaxDelay, each side's rate,
    /// the documents the direct index holds after its pass (<c>_count</c>), and the sidecar index counted as
    /// <c>rerank ingest status</c> counts it, with its stale documents by the reason they carry.
    /// </summary>
    public sealed record Pair(
        int MaxBatch,
        TimeSpan MaxDelay,
        double DirectDocsPerSecond,
        long DirectDocuments,
        double SidecarDocsPerSecond,
        IndexStatus SidecarStatus,
        IReadOnlyDictionary<string, long> StaleReasons)
    {
        public double Ratio => SidecarDocsPerSecond / DirectDocsPerSecond;
    }

    public sealed record Result(
        int Documents,
        string ModelId,
        int Batch,
        int Clients,
        IReadOnlyList<Pair> Rounds,
        IReadOnlyList<Pair> Grid)
    {
        /// <summary>Documents over total time across the rounds.</summary>
        public double DirectDocsPerSecond => Rate(Rounds.Select(r => r.DirectDocsPerSecond));

        public double SidecarDocsPerSecond => Rate(Rounds.Select(r => r.SidecarDocsPerSecond));

        public double Ratio => SidecarDocsPerSecond / DirectDocsPerSecond;

        /// <summary>Stale documents over every sidecar pass, rounds and grid.</summary>
        public long StaleDocuments => Rounds.Concat(Grid).Sum(p => p.SidecarStatus.Stale);

        /// <summary>The grid cell with the highest ratio; null without a grid.</summary>
        public Pair? Best => Grid.Count == 0 ? null : Grid.MaxBy(p => p.Ratio);

        /// <summary>Every pass holds the corpus, and every sidecar-indexed document is current.</summary>
        public bool AllCurrent => Rounds.Concat(Grid).All(p =>
            p.DirectDocuments == Documents && p.SidecarStatus.Documents == Documents && p.SidecarStatus.Current == Documents);

        // The same documents in every pass: the harmonic mean of the rates is documents over total time.
        private double Rate(IEnumerable<double> rates)
        {
            var list = rates.ToList();
            return list.Count == 0 ? 0 : list.Count / list.Sum(r => 1 / r);
        }
    }

    public async Task<Result> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var documents = _documents;
        var bodies = documents.Chunk(_batchSize).Select(batch => Encoding.UTF8.GetBytes(BeirBulkBody.Build(batch, withTitleAndText: true))).ToList();
        var bundle = ModelBundle.Load(_bundle);
        var config = new RerankIndexConfig { ModelId = bundle.ModelId, TextFields = ["title", "text"] };

        await using var engine = await EngineHost.StartAsync(
            new EngineHostOptions { DataDirectory = Path.Combine(workDirectory, "engine"), Urls = ["http://127.0.0.1:0"] },
            cancellationToken: cancellationToken);
        var engineUrl = engine.Urls[0];
        var cluster = ClusterClient.Create(engineUrl.ToString());
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

        async Task<(double Rate, long Documents)> DirectAsync()
        {
            var index = await CreateIndexAsync(http, engineUrl, cancellationToken);
            var elapsed = await BulkAsync(http, engineUrl, index, bodies, cancellationToken);
            var count = await CountAsync(http, engineUrl, index, cancellationToken);
            await SendAsync(http, HttpMethod.Delete, engineUrl, "/" + index, cancellationToken);
            return (documents.Count / elapsed.TotalSeconds, count);
        }

        async Task<(double Rate, IndexStatus Status, IReadOnlyDictionary<string, long> Reasons)> SidecarAsync(Uri sidecarUrl, IReadOnlyList<byte[]> sent)
        {
            var index = await CreateIndexAsync(http, engineUrl, cancellationToken);
            await IndexInitializer.InitAsync(cluster, index, config, bundle.Manifest.Heads.EmbeddingDim, bundle.Manifest.Heads.ProjectionDim, cancellationToken);
            var elapsed = await BulkAsync(http, sidecarUrl, index, sent, cancellationToken);
            await SendAsync(http, HttpMethod.Post, engineUrl, $"/{index}/_refresh", cancellationToken);
            var status = await IndexStatusCounter.CountAsync(cluster, index, cancellationToken);
            var reasons = await StaleReasonsAsync(http, engineUrl, index, config.Fields.Stale, cancellationToken);
            await SendAsync(http, HttpMethod.Delete, engineUrl, "/" + index, cancellationToken);
            return (sent.Sum(CountItems) / elapsed.TotalSeconds, status, reasons);
        }

        async Task<Pair> PairAsync(Uri sidecarUrl, EncodingOptions encoding)
        {
            var direct = await DirectAsync();
            var sidecar = await SidecarAsync(sidecarUrl, bodies);
            return new Pair(encoding.MaxBatch, encoding.MaxDelay, direct.Rate, direct.Documents, sidecar.Rate, sidecar.Status, sidecar.Reasons);
        }

        // 1. Warm-up: the engine takes the whole corpus, the sidecar one bulk per client (the model is the slow part).
        var defaults = new EncodingOptions();
        var rounds = new List<Pair>();
        await using (var sidecar = await StartSidecarAsync(http, engineUrl, defaults, cancellationToken))
        {
            await DirectAsync();
            await SidecarAsync(sidecar.Urls[0], [.. bodies.Take(_clients)]);

            // 2. The rounds, at the defaults that `rerank serve` runs with.
            for (var round = 0; round < _rounds; round++)
            {
                rounds.Add(await PairAsync(sidecar.Urls[0], defaults));
            }
        }

        // 3. The grid: a sidecar per setting, each compared with a direct pass just before it.
        var grid = new List<Pair>();
        foreach (var (maxBatch, maxDelay) in _grid.Cells)
        {
            var encoding = defaults with { MaxBatch = maxBatch, MaxDelay = maxDelay };
            await using var sidecar = await StartSidecarAsync(http, engineUrl, encoding, cancellationToken);
            grid.Add(await PairAsync(sidecar.Urls[0], encoding));
        }

        return new Result(documents.Count, bundle.ModelId, _batchSize, _clients, rounds, grid);
    }

    /// <summary>Starts a sidecar and waits until <c>/_rerank/health</c> says ready (the upstream answers, the model is loaded).</summary>
    private async Task<SidecarHost> StartSidecarAsync(HttpClient http, Uri engineUrl, EncodingOptions encoding, CancellationToken cancellationToken)
    {
        var sidecar = await SidecarHost.StartAsync(
            new SidecarOptions { Upstream = engineUrl, Urls = ["http://127.0.0.1:0"], ModelsDirectory = _bundle, Encoding = encoding },
            _loggerFactory,
            cancellationToken: cancellationToken);
        var health = new Uri(sidecar.Urls[0], "/_rerank/health");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(health, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return sidecar;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                await sidecar.DisposeAsync();
                throw new InvalidOperationException($"the sidecar was not ready within 30 s: {text[..Math.Min(500, text.Length)]}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<string> CreateIndexAsync(HttpClient http, Uri engineUrl, CancellationToken cancellationToken)
    {
        var index = $"bench-ingest-{Interlocked.Increment(ref _indices)}";
        await SendAsync(http, HttpMethod.Put, engineUrl, "/" + index, cancellationToken, IndexBody);
        return index;
    }

    /// <summary>Sends every body to <c>/{index}/_bulk</c> from <c>clients</c> concurrent clients; the time until the last answer.</summary>
    private async Task<TimeSpan> BulkAsync(HttpClient http, Uri baseUrl, string index, IReadOnlyList<byte[]> bodies, CancellationToken cancellationToken)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, _clients).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < bodies.Count)
                {
                    using var content = new ByteArrayContent(bodies[i]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                    using var response = await http.PostAsync(new Uri(baseUrl, $"/{index}/_bulk"), content, cancellationToken);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    Ensure(response, text, $"POST /{index}/_bulk");
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
        return stopwatch.Elapsed;
    }

    private static async Task<long> CountAsync(HttpClient http, Uri engineUrl, string index, CancellationToken cancellationToken)
    {
        await SendAsync(http, HttpMethod.Post, engineUrl, $"/{index}/_refresh", cancellationToken);
        var text = await SendAsync(http, HttpMethod.Get, engineUrl, $"/{index}/_count", cancellationToken);
        using var json = System.Text.Json.JsonDocument.Parse(text);
        return json.RootElement.GetProperty("count").GetInt64();
    }

    /// <summary>Documents per stale reason (a terms aggregation on the stale field, as stored by the write path).</summary>
    private static async Task<IReadOnlyDictionary<string, long>> StaleReasonsAsync(HttpClient http, Uri engineUrl, string index, string staleField, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["size"] = 0,
            ["aggs"] = new JsonObject { ["reasons"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = staleField, ["size"] = 100 } } },
        };
        var text = await SendAsync(http, HttpMethod.Post, engineUrl, $"/{index}/_search", cancellationToken, body.ToJsonString());
        var buckets = JsonNode.Parse(text)!["aggregations"]!["reasons"]!["buckets"]!.AsArray();
        return buckets.ToDictionary(b => b!["key"]!.GetValue<string>(), b => b!["doc_count"]!.GetValue<long>(), StringComparer.Ordinal);
    }

    /// <summary>Bulk items in a body: every other non-empty line (index actions and their sources).</summary>
    private static int CountItems(byte[] body) => body.Count(b => b == (byte)'\n') / 2;

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, Uri baseUrl, string path, CancellationToken cancellationToken, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Ensure(response, text, $"{method} {path}");
        return text;
    }

    private static void Ensure(HttpResponseMessage response, string text, string what)
    {
        if (!response.IsSuccessStatusCode || text.Contains("\"errors\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what} failed with {(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}");
        }
    }
}
