using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>
/// A real Lucene index in a RAMDirectory built the way the engine builds one: the mapping through
/// <see cref="MappingParser.Parse"/>, each document through <see cref="DocumentConverter.Convert"/> (dynamic mapping
/// updates carried on), text analysed by <see cref="MappingAnalyzer"/>, Elasticsearch's BM25(1.2, 0.75) on writer and searcher, as a new engine
/// index has.
/// Documents are added in order (doc numbers and <c>_seq_no</c> follow it); <c>segmentSize</c> commits a new segment
/// every that many documents.
/// </summary>
internal sealed class TestIndex : IDisposable
{
    private readonly RAMDirectory _directory = new();
    private readonly MappingAnalyzer _analyzer;
    private readonly DirectoryReader _reader;
    private readonly IndexMapping _mapping;

    public TestIndex(string name, string mappings, IEnumerable<(string Id, string Source)> documents, int maxResultWindow = 10_000, int segmentSize = int.MaxValue)
    {
        _mapping = MappingParser.Parse(JsonNode.Parse(mappings)!.AsObject(), name);
        _analyzer = new MappingAnalyzer(() => _mapping);
        var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer)
        {
            Similarity = new ElasticsearchBm25Similarity(),
            MergePolicy = NoMergePolicy.NO_COMPOUND_FILES,
        };
        using (var writer = new IndexWriter(_directory, config))
        {
            var count = 0L;
            foreach (var (id, source) in documents)
            {
                var converted = DocumentConverter.Convert(_mapping, name, id, JsonNode.Parse(source)!.AsObject(), new DocumentVersion(count, 1, 1));
                _mapping = converted.Mapping;
                writer.AddDocument(converted.Document);
                if (++count % segmentSize == 0)
                {
                    writer.Commit();
                }
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        var searcher = new IndexSearcher(_reader) { Similarity = new ElasticsearchBm25Similarity() };
        Target = new SearchTarget(name, searcher, _mapping, _analyzer, maxResultWindow);
    }

    public SearchTarget Target { get; }

    public int SegmentCount => _reader.Leaves.Count;

    /// <summary>
    /// <see cref="SearchExecutor.Search"/> on this index alone, as <c>POST /{name}/_search</c> with
    /// <paramref name="body"/> (null for none) and the given URL parameters.
    /// </summary>
    public JsonObject Search(string? body, params (string Name, string Value)[] url) =>
        SearchExecutor.Search(
            [Target],
            SearchExecutorTests.Body(body),
            new SearchParameters { Values = url.ToDictionary(p => p.Name, p => p.Value), Path = $"/{Target.IndexName}/_search" },
            CancellationToken.None);

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
