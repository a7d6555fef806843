using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

/// <summary>Indexes converted documents into a RAMDirectory and reads terms, doc values and hits back.</summary>
internal sealed class LuceneProbe : IDisposable
{
    private readonly RAMDirectory _directory = new();
    private readonly MappingAnalyzer _analyzer;
    private DirectoryReader? _reader;

    public LuceneProbe(IndexMapping mapping, params Document[] documents)
    {
        _analyzer = new MappingAnalyzer(() => mapping);
        var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer) { Similarity = new ElasticsearchBm25Similarity() };
        using (var writer = new IndexWriter(_directory, config))
        {
            foreach (var document in documents)
            {
                writer.AddDocument(document);
            }

            writer.Commit();
        }

        _reader = DirectoryReader.Open(_directory);
        Searcher = new IndexSearcher(_reader) { Similarity = new ElasticsearchBm25Similarity() };
    }

    public IndexSearcher Searcher { get; }

    public AtomicReader Leaf => _reader!.Leaves[0].AtomicReader;

    /// <summary>The distinct terms of an indexed field, in index order.</summary>
    public List<string> Terms(string field)
    {
        var terms = new List<string>();
        var fieldTerms = Leaf.GetTerms(field);
        if (fieldTerms is null)
        {
            return terms;
        }

        var iterator = fieldTerms.GetEnumerator();
        while (iterator.MoveNext())
        {
            terms.Add(iterator.Term.Utf8ToString());
        }

        return terms;
    }

    /// <summary>The positions of <paramref name="term"/> in document 0 of <paramref name="field"/>.</summary>
    public List<int> Positions(string field, string term)
    {
        var positions = new List<int>();
        var docs = Leaf.GetTermPositionsEnum(new Term(field, term));
        if (docs is null || docs.NextDoc() == DocIdSetIterator.NO_MORE_DOCS)
        {
            return positions;
        }

        for (var i = 0; i < docs.Freq; i++)
        {
            positions.Add(docs.NextPosition());
        }

        return positions;
    }

    public int Count(Query query) => Searcher.Search(query, 10).TotalHits;

    /// <summary>The sorted-set doc values of document <paramref name="doc"/>.</summary>
    public List<string> SortedSet(string field, int doc = 0)
    {
        var values = Leaf.GetSortedSetDocValues(field);
        var result = new List<string>();
        if (values is null)
        {
            return result;
        }

        values.SetDocument(doc);
        long ord;
        while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
        {
            var bytes = new BytesRef();
            values.LookupOrd(ord, bytes);
            result.Add(bytes.Utf8ToString());
        }

        return result;
    }

    public long? Numeric(string field, int doc = 0) => Leaf.GetNumericDocValues(field)?.Get(doc);

    public byte[]? Binary(string field, int doc = 0)
    {
        var values = Leaf.GetBinaryDocValues(field);
        if (values is null)
        {
            return null;
        }

        var bytes = new BytesRef();
        values.Get(doc, bytes);
        return bytes.Bytes.AsSpan(bytes.Offset, bytes.Length).ToArray();
    }

    public Document Stored(int doc = 0) => Leaf.Document(doc);

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
