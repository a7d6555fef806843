using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Scoring;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary><c>index.similarity.default</c>, and indices whose metadata predates Elasticsearch scoring.</summary>
public sealed class SimilaritySettingsTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Parse_NoSimilarity_ElasticsearchBm25Defaults()
    {
        var similarity = IndexSettingsParser.Parse(null).Similarity;

        Assert.Equal(Bm25Scoring.Elasticsearch, similarity.Scoring);
        Assert.Equal((SimilarityType.Bm25, 1.2f, 0.75f, true), (similarity.Default.Type, similarity.Default.K1, similarity.Default.B, similarity.Default.DiscountOverlaps));
        Assert.Empty(similarity.Defined);
    }

    [Theory]
    [InlineData("""{"similarity": {"default": {"type": "BM25", "k1": 2, "b": 0.5, "discount_overlaps": false}}}""", 2f, 0.5f, false)]
    [InlineData("""{"index.similarity.default.type": "BM25", "index.similarity.default.k1": "0.9"}""", 0.9f, 0.75f, true)]
    [InlineData("""{"index": {"similarity": {"default": {"type": "BM25", "b": "0"}}}}""", 1.2f, 0f, true)]
    public void Parse_DefaultBm25_TakesTheParameters(string json, float k1, float b, bool discountOverlaps)
    {
        var similarity = IndexSettingsParser.Parse(JsonNode.Parse(json)).Similarity.Default;

        Assert.Equal((k1, b, discountOverlaps), (similarity.K1, similarity.B, similarity.DiscountOverlaps));
    }

    [Theory]
    [InlineData("""{"similarity": {"default": {"k1": 2}}}""", "Similarity [default] must have an associated type")]
    [InlineData("""{"similarity": {"default": {"type": "bm25"}}}""", "Unknown Similarity type [bm25] for [default]")]
    [InlineData("""{"similarity": {"BM25": {"type": "BM25"}}}""", "Cannot redefine built-in Similarity [BM25]")]
    [InlineData("""{"similarity": {"boolean": {"type": "boolean"}}}""", "Cannot redefine built-in Similarity [boolean]")]
    [InlineData("""{"similarity": {"default": {"type": "DFR"}}}""", "similarity type [DFR] for [default] is not supported by the embedded engine: only [BM25] and [boolean] are")]
    [InlineData("""{"similarity": {"my_sim": {"type": "LMDirichlet", "mu": 2000}}}""", "similarity type [LMDirichlet] for [my_sim] is not supported by the embedded engine: only [BM25] and [boolean] are")]
    [InlineData("""{"similarity": {"flat": {"type": "boolean", "k1": 1}}}""", "Unknown settings for similarity of type [boolean]: [k1]")]
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

        var similarity = Assert.IsType<ElasticsearchBm25Similarity>(Assert.IsType<PerFieldSimilarity>(lease.Target.Searcher.Similarity).Default);
        Assert.Equal(0.5f, similarity.K1);
        Assert.Equal("0.5", index.Settings.ToJson()["similarity"]!["default"]!["k1"]!.GetValue<string>());
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(index.Folder, "meta.json")))!;
        Assert.Equal((3, "elasticsearch"), (meta["format"]!.GetValue<int>(), meta["scoring"]!.GetValue<string>()));
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
            Assert.IsType<BM25Similarity>(Assert.IsType<PerFieldSimilarity>(lease.Target.Searcher.Similarity).Default);
        }

        // The dynamic mapping update rewrote the metadata: now format 3, still Lucene scoring.
        var rewritten = JsonNode.Parse(File.ReadAllText(metaPath))!;
        Assert.Equal((3, "lucene"), (rewritten["format"]!.GetValue<int>(), rewritten["scoring"]!.GetValue<string>()));
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

    [Fact]
    public void Search_FieldSimilarities_EachFieldScoredByTheOneItNames()
    {
        using var catalog = _context.OpenCatalog();
        var index = catalog.CreateIndex("fields", Json("""
            {"settings": {"similarity": {"flat_b": {"type": "BM25", "b": 0}, "flag": {"type": "boolean"}}},
             "mappings": {"properties": {
               "title": {"type": "text", "similarity": "flat_b"},
               "body": {"type": "text"},
               "tag": {"type": "keyword", "similarity": "boolean"},
               "note": {"type": "text", "similarity": "flag"}}}}
            """));
        index.Index("1", Json("""{"title": "fox", "body": "fox", "tag": "a", "note": "fox fox fox"}"""), WriteOptions.Default);
        index.Index("2", Json("""{"title": "fox jumps over lazy dogs", "body": "fox jumps over lazy dogs", "tag": "a"}"""), WriteOptions.Default);
        index.Refresh();
        using var lease = index.AcquireSearcher();

        float Score(string field, string term, int doc, float boost = 1f) =>
            lease.Target.Searcher.Search(new TermQuery(new Term(field, term)) { Boost = boost }, 10).ScoreDocs.Single(h => h.Doc == doc).Score;

        // n = N = 2, idf ln 1.2; lengths 1 and 5, avgdl 3.
        var idf = Math.Log(1.2);
        // b 0: length ignored, so both documents score 2.2 * idf * 1 / (1 + 1.2).
        Assert.Equal(idf, Score("title", "fox", 0), 1e-6);
        Assert.Equal(idf, Score("title", "fox", 1), 1e-6);
        // The index default (BM25, b 0.75) on body: the short document wins.
        Assert.Equal(2.2 * idf / (1 + (1.2 * (0.25 + (0.75 * 1 / 3.0)))), Score("body", "fox", 0), 1e-6);
        Assert.Equal(2.2 * idf / (1 + (1.2 * (0.25 + (0.75 * 5 / 3.0)))), Score("body", "fox", 1), 1e-6);
        // boolean: the query boost, whatever the frequency or rarity.
        Assert.Equal(1f, Score("tag", "a", 0));
        Assert.Equal(3f, Score("note", "fox", 0, boost: 3f));
    }

    [Fact]
    public void CreateIndex_FieldNamesAnUndefinedSimilarity_MapperParsingAndNothingCreated()
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.CreateIndex("bad", Json("""
            {"mappings": {"properties": {"title": {"type": "text", "similarity": "my_bm25"}}}}
            """)));

        Assert.Equal((400, "mapper_parsing_exception"), (error.Status, error.Type));
        Assert.Equal("Failed to parse mapping: Unknown Similarity type [my_bm25] for field [title]", error.Reason);
        Assert.Empty(catalog.Indices);
    }

    [Fact]
    public void PutMapping_NewFieldSimilarity_CheckedAndKeptAcrossRestart()
    {
        using (var catalog = _context.OpenCatalog())
        {
            var index = catalog.CreateIndex("later", Json("""{"settings": {"similarity": {"flag": {"type": "boolean"}}}}"""));
            var error = Assert.Throws<EngineException>(() => index.PutMapping(Json("""{"properties": {"a": {"type": "text", "similarity": "nope"}}}""")));
            Assert.Equal("Failed to parse mapping: Unknown Similarity type [nope] for field [a]", error.Reason);
            Assert.Null(index.Mapping.Find("a"));

            index.PutMapping(Json("""{"properties": {"a": {"type": "text", "similarity": "flag"}}}"""));
            var conflict = Assert.Throws<EngineException>(() => index.PutMapping(Json("""{"properties": {"a": {"type": "text", "similarity": "BM25"}}}""")));
            Assert.Contains("Cannot update parameter [similarity] from [flag] to [BM25]", conflict.Reason, StringComparison.Ordinal);
        }

        using var reopened = _context.OpenCatalog();
        var again = reopened.GetIndex("later");
        again.Index("1", Json("""{"a": "x x"}"""), WriteOptions.Default);
        again.Refresh();
        using var lease = again.AcquireSearcher();

        Assert.Equal("flag", again.Mapping.Find("a")!.TextSimilarity);
        Assert.Equal(1f, lease.Target.Searcher.Search(new TermQuery(new Term("a", "x")), 1).ScoreDocs[0].Score);
    }
}
