using System.Text.Json;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Mapping;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.FunctionalTests;

/// <summary>
/// One engine on Kestrel (127.0.0.1, port 0) holding SciFact, indexed through the official client's <c>BulkAll</c>;
/// shared by the session's tests. The corpus is read here independently of the engine, for the expected values.
/// </summary>
public sealed class SciFactSession : IAsyncLifetime
{
    public const string Index = "scifact";

    private TempDirectory? _directory;
    private EngineHost? _host;

    /// <summary>The corpus as read from the BEIR file, in file order.</summary>
    public IReadOnlyList<Paper> Corpus { get; private set; } = [];

    /// <summary>The number of lines of <c>corpus.jsonl</c>.</summary>
    public int CorpusLines { get; private set; }

    public ElasticsearchClient Client { get; private set; } = null!;

    /// <summary>A client that throws on every error answer (for the typed-error checks).</summary>
    public ElasticsearchClient ThrowingClient { get; private set; } = null!;

    public long BulkAllPages { get; private set; }

    /// <summary>Why the session could not run (the corpus is absent), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Skips the calling test when the corpus is absent (a fixture cannot skip its tests itself).</summary>
    public void RequireCorpus()
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }
    }

    public async ValueTask InitializeAsync()
    {
        var folder = Path.Combine(RepositoryPaths.SharedData, "scifact");
        if (!File.Exists(Path.Combine(folder, "corpus.jsonl")))
        {
            SkipReason = $"SciFact not found at {folder}; it lives in ../shared/data beside the repository.";
            return;
        }

        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, "corpus.jsonl"), TestContext.Current.CancellationToken);
        CorpusLines = lines.Count(line => line.Length > 0);
        Corpus = [.. lines.Where(line => line.Length > 0).Select(Parse)];

        _directory = new TempDirectory();
        _host = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = _directory.Path, Urls = ["http://127.0.0.1:0"] });
        Client = new ElasticsearchClient(Settings(_host.Urls[0]));
        ThrowingClient = new ElasticsearchClient(Settings(_host.Urls[0]).ThrowExceptions());

        await CreateIndexAsync();
        BulkAllPages = BulkAll();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _directory?.Dispose();
    }

    private static ElasticsearchClientSettings Settings(Uri uri) =>
        new ElasticsearchClientSettings(uri)
            .DefaultIndex(Index)
            .DefaultMappingFor<Paper>(m => m.IdProperty(p => p.DocId!))
            .DisableDirectStreaming()
            .RequestTimeout(TimeSpan.FromMinutes(2));

    private static Paper Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var id = root.GetProperty("_id").GetString()!;
        var text = root.GetProperty("text").GetString()!;
        var number = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
        return new Paper
        {
            DocId = id,
            Title = root.GetProperty("title").GetString()!,
            Text = text,
            Words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
            Group = $"g{number % 5}",
            Vector = Paper.VectorOf(number),
        };
    }

    private async Task CreateIndexAsync()
    {
        var response = await Client.Indices.CreateAsync(Index, c => c
            .Settings(s => s.NumberOfShards(1).NumberOfReplicas(0))
            .Mappings(m => m
                .Meta(meta => meta.Add("corpus", "scifact").Add("layout", "beir"))
                .Properties<Paper>(p => p
                    .Keyword(d => d.DocId)
                    .Text(d => d.Title)
                    .Text(d => d.Text)
                    .IntegerNumber(d => d.Words)
                    .Keyword(d => d.Group)
                    .DenseVector(d => d.Vector, v => v.Dims(3).Similarity(DenseVectorSimilarity.Cosine).Index(true)))),
            TestContext.Current.CancellationToken);
        if (!response.IsValidResponse || !response.Acknowledged)
        {
            throw new InvalidOperationException($"create index failed: {response.DebugInformation}");
        }
    }

    private long BulkAll()
    {
        long pages = 0;
        var observable = Client.BulkAll(Corpus, b => b
            .Index(Index)
            .Size(1000)
            .MaxDegreeOfParallelism(2)
            .BackOffRetries(2)
            .BackOffTime(TimeSpan.FromSeconds(1))
            .RefreshOnCompleted()
            .ContinueAfterDroppedDocuments(false));
        observable.Wait(TimeSpan.FromMinutes(5), _ => Interlocked.Increment(ref pages));
        return pages;
    }
}
