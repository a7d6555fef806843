using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.Benchmarks.Engine;

/// <summary>
/// Where a search's time goes, per SciFact test query, top 100, ids and scores only: the BM25 baseline in process
/// (the baseline), the engine's search executor on a JSON body without HTTP, and the same request over HTTP to the
/// engine on 127.0.0.1. The executor's ratio is the engine's own cost; the HTTP ratio adds Kestrel, the client and JSON
/// on the wire.
/// </summary>
[MemoryDiagnoser]
public class EngineSearchBenchmarks
{
    private const int SciFactTestQueries = 300;
    private readonly List<string> _queries = [];
    private readonly List<JsonObject> _bodies = [];
    private readonly List<string> _bodyTexts = [];
    private string _work = "";
    private Bm25Index? _baseline;
    private EngineHost? _host;
    private HttpClient? _client;

    /// <summary>The engine's segments after the bulk load: one, as the baseline's build merges to, and as many as ten.</summary>
    [Params(1, 10)]
    public int Segments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dataset = BeirDataset.Open(BenchmarkData.Collection("scifact"), "test");
        _work = Path.Combine(Path.GetTempPath(), "rerank-bench-engine-search", Guid.NewGuid().ToString("N"));
        var documents = dataset.ReadCorpus().ToList();
        // Scored as the engine scores (Elasticsearch's BM25), so both sides compute the same hits.
        _baseline = Bm25Index.OpenOrBuild(
            Path.Combine(_work, "baseline"), dataset.CorpusPath, documents, new Bm25IndexOptions { Scoring = Bm25Scoring.Elasticsearch });
        _host = EngineHost.StartAsync(new EngineHostOptions { DataDirectory = Path.Combine(_work, "engine"), Urls = ["http://127.0.0.1:0"] })
            .GetAwaiter().GetResult();
        _client = new HttpClient { BaseAddress = _host.Urls[0] };
        Send(HttpMethod.Put, "/bench", """{"settings":{"number_of_replicas":0},"mappings":{"properties":{"contents":{"type":"text"}}}}""", "application/json");
        foreach (var chunk in documents.Chunk(1000))
        {
            Send(HttpMethod.Post, "/bench/_bulk", BeirBulkBody.Build(chunk), "application/x-ndjson");
        }

        Send(HttpMethod.Post, $"/bench/_forcemerge?max_num_segments={Segments}", null, "application/json");
        foreach (var query in dataset.Queries)
        {
            _queries.Add(query.Text);
            var body = new JsonObject
            {
                ["query"] = new JsonObject { ["match"] = new JsonObject { ["contents"] = query.Text } },
                ["size"] = 100,
                ["_source"] = false,
            };
            _bodies.Add(body);
            _bodyTexts.Add(body.ToJsonString());
        }

        if (_queries.Count != SciFactTestQueries)
        {
            throw new InvalidOperationException($"Expected {SciFactTestQueries} SciFact test queries, read {_queries.Count}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _baseline?.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SciFactTestQueries, Description = "baseline Bm25Index.Search, in process")]
    public int Baseline()
    {
        var total = 0;
        foreach (var query in _queries)
        {
            total += _baseline!.Search(query, 100).Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = SciFactTestQueries, Description = "engine SearchExecutor on the JSON body, no HTTP")]
    public int Executor()
    {
        var total = 0;
        var index = _host!.Catalog.GetIndex("bench");
        foreach (var body in _bodies)
        {
            using var lease = index.AcquireSearcher();
            var response = SearchExecutor.Search([lease.Target], (JsonObject)body.DeepClone(), SearchParameters.None, CancellationToken.None);
            total += response["hits"]!["hits"]!.AsArray().Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = SciFactTestQueries, Description = "engine over HTTP on 127.0.0.1")]
    public int Http()
    {
        var total = 0;
        foreach (var body in _bodyTexts)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = _client!.PostAsync("/bench/_search", content).GetAwaiter().GetResult();
            total += response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult().Length;
        }

        return total;
    }

    private void Send(HttpMethod method, string path, string? body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = _client!.Send(request);
        response.EnsureSuccessStatusCode();
    }
}
