using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Scoring;
using static Rerank.LuceneBaseline.Tests.Engine.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Tests.Engine.Store;

/// <summary><c>index.similarity.default</c>, and indices whose metadata predates Elasticsearch scoring.</summary>
public sealed class SimilaritySettingsTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Parse_NoSimilarity_ElasticsearchBm25Defaults()
    {
        var similarity = IndexSettingsParser.Parse(null).Similarity;

        Assert.Equal((1.2f, 0.75f, true, Bm25Scoring.Elasticsearch), (similarity.K1, similarity.B, similarity.DiscountOverlaps, similarity.Scoring));
    }

    [Theory]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "k1": 2, "b": 0.5, "discount_overlaps": false}}}""", 2f, 0.5f, false)]
    [InlineData("""{"index.similarity.default.type": "BM25", "index.similarity.default.k1": "0.9"}""", 0.9f, 0.75f, true)]
    [InlineData("""{"index": {"similarity": {"default": {"type": "BM25", "b": "0"}}}}""", 1.2f, 0f, true)]
    public void Parse_DefaultBm25_TakesTheParameters(string json, float k1, float b, bool discountOverlaps)
    {
        var similarity = IndexSettingsParser.Parse(JsonNode.Parse(json)).Similarity;

        Assert.Equal((k1, b, discountOverlaps), (similarity.K1, similarity.B, similarity.DiscountOverlaps));
    }

    [Theory]
    [InlineData("""{"similarity": {"default": {"k1": 2}}}""", "Similarity [default] must have an associated type")]
    [InlineData("""{"similarity": {"default": {"type": "bm25"}}}""", "Unknown Similarity type [bm25] for [default]")]
    [InlineData("""{"similarity": {"BM25": {"type": "BM25"}}}""", "Cannot redefine built-in Similarity [BM25]")]
    [InlineData("""{"similarity": {"boolean": {"type": "boolean"}}}""", "Cannot redefine built-in Similarity [boolean]")]
    [InlineData("""{"similarity": {"default": {"type": "DFR"}}}""", "similarity type [DFR] for [default] is not supported by the embedded engine: only [BM25] is")]
    [InlineData("""{"similarity": {"my_sim": {"type": "BM25"}}}""", "similarity [my_sim] is not supported by the embedded engine: only [index.similarity.default] can be set, because fields cannot choose a similarity")]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "k3": 1}}}""", "Unknown settings for similarity of type [BM25]: [k3]")]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "k1": "high"}}}""", "Failed to parse float setting [k1] with value [high]")]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "k1": -1}}}""", "illegal k1 value: -1.0, must be a non-negative finite value")]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "b": 1.5}}}""", "illegal b value: 1.5, must be between 0 and 1")]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "discount_overlaps": "yes"}}}""", "Failed to parse value [yes] as only [true] or [false] are allowed.")]
    public void Parse_BadSimilarity_IllegalArgumentNamingIt(string json, string reason)
    {
        var error = Assert.Throws<EngineException>(() => IndexSettingsParser.Parse(JsonNode.Parse(json)));

        Assert.Equal((400, "illegal_argument_exception", reason), (error.Status, error.Type, error.Reason));
    }

    [Fact]
    public void Search_CustomK1AndB_ScoresWithThem()
    {
        using var catalog = _context.OpenCatalog();
        var index = catalog.CreateIndex("tuned", Json("""{"settings": {"similarity": {"default": {"type": "BM25", "k1": 2.0, "b": 0}}}}"""));
        index.Index("1", Json("""{"title": "fox fox fox"}"""), WriteOptions.Default);
        index.Index("2", Json("""{"title": "fox and a very long title indeed"}"""), WriteOptions.Default);
        index.Refresh();

        using var lease = index.AcquireSearcher();
        var hits = lease.Target.Searcher.Search(new TermQuery(new Term("title", "fox")), 10).ScoreDocs;

        // b 0 ignores lengths; n = N = 2: idf ln(1 + 0.5 / 2.5); (k1 + 1) tf / (tf + k1) = 3 * 3 / 5 and 3 * 1 / 3.
        var idf = Math.Log(1.2);
        Assert.Equal(idf * 9 / 5, hits.Single(h => h.Doc == 0).Score, 1e-6);
        Assert.Equal(idf, hits.Single(h => h.Doc == 1).Score, 1e-6);
    }

    [Fact]
    public void Reopen_CustomSimilarity_KeptFromTheMetadata()
    {
        using (var catalog = _context.OpenCatalog())
        {
            catalog.CreateIndex("tuned", Json("""{"settings": {"index.similarity.default.type": "BM25", "index.similarity.default.k1": "0.5"}}"""));
        }

        using var reopened = _context.OpenCatalog();
        var index = reopened.GetIndex("tuned");
        using var lease = index.AcquireSearcher();

        var similarity = Assert.IsType<ElasticsearchBm25Similarity>(Assert.IsType<PerFieldSimilarity>(lease.Target.Searcher.Similarity).Fields);
        Assert.Equal(0.5f, similarity.K1);
        Assert.Equal("0.5", index.Settings.ToJson()["similarity"]!["default"]!["k1"]!.GetValue<string>());
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(index.Folder, "meta.json")))!;
        Assert.Equal((2, "elasticsearch"), (meta["format"]!.GetValue<int>(), meta["scoring"]!.GetValue<string>()));
    }

    [Fact]
    public void Reopen_MetadataFormat1_KeepsLucene48ScoringAndSaysSoWhenRewritten()
    {
        // An index created before the engine scored as Elasticsearch: its norms are Lucene 4.8's 1/sqrt(length).
        string folder;
        using (var catalog = _context.OpenCatalog())
        {
            folder = catalog.CreateIndex("old", null).Folder;
        }

        var metaPath = Path.Combine(folder, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta["format"] = 1;
        meta.Remove("scoring");
        File.WriteAllText(metaPath, meta.ToJsonString());

        using var reopened = _context.OpenCatalog();
        var index = reopened.GetIndex("old");
        Assert.Equal(Bm25Scoring.Lucene, index.Settings.Similarity.Scoring);
        index.Index("1", Json("""{"title": "fox"}"""), WriteOptions.Default);
        index.Refresh();
        using (var lease = index.AcquireSearcher())
        {
            Assert.IsType<BM25Similarity>(Assert.IsType<PerFieldSimilarity>(lease.Target.Searcher.Similarity).Fields);
        }

        // The dynamic mapping update rewrote the metadata: now format 2, still Lucene scoring.
        var rewritten = JsonNode.Parse(File.ReadAllText(metaPath))!;
        Assert.Equal((2, "lucene"), (rewritten["format"]!.GetValue<int>(), rewritten["scoring"]!.GetValue<string>()));
    }

    [Fact]
    public void Reopen_UnknownScoring_InvalidData()
    {
        string folder;
        using (var catalog = _context.OpenCatalog())
        {
            folder = catalog.CreateIndex("odd", null).Folder;
        }

        var metaPath = Path.Combine(folder, "meta.json");
        var meta = JsonNode.Parse(File.ReadAllText(metaPath))!.AsObject();
        meta["scoring"] = "tfidf";
        File.WriteAllText(metaPath, meta.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => _context.OpenCatalog());
        Assert.Contains("unknown scoring [tfidf]", error.Message, StringComparison.Ordinal);
    }
}
