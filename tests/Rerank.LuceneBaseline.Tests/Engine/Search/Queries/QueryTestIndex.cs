using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Tests.Engine.Search.Queries;

/// <summary>
/// A small index built as the engine builds one: the mapping through <see cref="MappingParser"/>, documents through
/// <see cref="DocumentConverter"/> (dynamic additions carried forward), analysed by <see cref="MappingAnalyzer"/>, in a
/// RAMDirectory with BM25(1.2, 0.75) on writer and searcher, one segment in the order given; and a
/// <see cref="SearchTarget"/> over it.
/// </summary>
internal sealed class QueryTestIndex : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 5, 15, 13, 45, 30, TimeSpan.Zero);

    private readonly RAMDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly Analyzer _analyzer;

    private QueryTestIndex(string mappingJson, IEnumerable<(string Id, string Json)> documents)
    {
        _directory = new RAMDirectory();
        var mapping = MappingParser.Parse(JsonNode.Parse(mappingJson)!.AsObject(), "test");
        _analyzer = new MappingAnalyzer(() => mapping);
        var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer)
        {
            Similarity = new BM25Similarity(1.2f, 0.75f),
            MergePolicy = new LogByteSizeMergePolicy(),
        };
        using (var writer = new IndexWriter(_directory, config))
        {
            var seqNo = 0L;
            foreach (var (id, json) in documents)
            {
                var converted = DocumentConverter.Convert(mapping, "test", id, JsonNode.Parse(json)!.AsObject(), new DocumentVersion(seqNo++, 1, 1));
                mapping = converted.Mapping;
                writer.AddDocument(converted.Document);
            }

            writer.ForceMerge(1);
            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(1.2f, 0.75f) };
        Target = new SearchTarget("test", searcher, mapping, _analyzer, 10_000);
    }

    public SearchTarget Target { get; }

    public int MaxDoc => _reader.MaxDoc;

    public static QueryTestIndex Create(string mappingJson, params (string Id, string Json)[] documents) => new(mappingJson, documents);

    /// <summary>The hits of a query JSON, best first (ties by index order), as (_id, score).</summary>
    public List<(string Id, float Score)> Search(string queryJson)
    {
        var query = QueryDslParser.Parse(JsonNode.Parse(queryJson)!.AsObject(), Target, Now);
        var hits = Target.Searcher.Search(query, 1000).ScoreDocs;
        return hits.Select(h => (Target.Searcher.Doc(h.Doc).Get(LuceneFieldNames.Id), h.Score)).ToList();
    }

    /// <summary>The ids of the hits, sorted by id.</summary>
    public List<string> Ids(string queryJson) => Search(queryJson).Select(h => h.Id).Order(StringComparer.Ordinal).ToList();

    /// <summary>The score of one document, or null when it is not a hit.</summary>
    public float? Score(string queryJson, string id) => Search(queryJson).Where(h => h.Id == id).Select(h => (float?)h.Score).FirstOrDefault();

    /// <summary>The error building the query for this index.</summary>
    public EngineException Error(string queryJson) =>
        Assert.Throws<EngineException>(() => QueryDslParser.Parse(JsonNode.Parse(queryJson)!.AsObject(), Target, Now));

    /// <summary>The number of documents containing <paramref name="term"/> in <paramref name="field"/>.</summary>
    public int DocFreq(string field, string term) => _reader.DocFreq(new Term(field, term));

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
