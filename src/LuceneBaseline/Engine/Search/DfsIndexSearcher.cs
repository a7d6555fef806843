using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// A searcher over one index whose term and collection statistics are the sums over every index of the request:
/// <c>search_type=dfs_query_then_fetch</c>, which makes BM25 scores comparable across indices. The sums are computed
/// on first use per term and field; one instance per request and index.
/// </summary>
internal sealed class DfsIndexSearcher : IndexSearcher
{
    private readonly IReadOnlyList<IndexSearcher> _all;
    private readonly Dictionary<Term, TermStatistics> _terms = [];
    private readonly Dictionary<string, CollectionStatistics> _fields = new(StringComparer.Ordinal);

    public DfsIndexSearcher(IndexSearcher own, IReadOnlyList<IndexSearcher> all)
        : base(own.IndexReader)
    {
        Similarity = own.Similarity;
        _all = all;
    }

    public override TermStatistics TermStatistics(Term term, TermContext context)
    {
        if (_terms.TryGetValue(term, out var cached))
        {
            return cached;
        }

        long docFreq = 0, totalTermFreq = 0;
        foreach (var searcher in _all)
        {
            var states = TermContext.Build(searcher.TopReaderContext, term);
            docFreq += states.DocFreq;
            totalTermFreq = totalTermFreq < 0 || states.TotalTermFreq < 0 ? -1 : totalTermFreq + states.TotalTermFreq;
        }

        var statistics = new TermStatistics(term.Bytes, docFreq, totalTermFreq);
        _terms[term] = statistics;
        return statistics;
    }

    public override CollectionStatistics CollectionStatistics(string field)
    {
        if (_fields.TryGetValue(field, out var cached))
        {
            return cached;
        }

        long maxDoc = 0, docCount = 0, sumTotalTermFreq = 0, sumDocFreq = 0;
        foreach (var searcher in _all)
        {
            var own = searcher.CollectionStatistics(field);
            maxDoc += own.MaxDoc;
            docCount = docCount < 0 || own.DocCount < 0 ? -1 : docCount + own.DocCount;
            sumTotalTermFreq = sumTotalTermFreq < 0 || own.SumTotalTermFreq < 0 ? -1 : sumTotalTermFreq + own.SumTotalTermFreq;
            sumDocFreq = sumDocFreq < 0 || own.SumDocFreq < 0 ? -1 : sumDocFreq + own.SumDocFreq;
        }

        var statistics = new CollectionStatistics(field, maxDoc, docCount, sumTotalTermFreq, sumDocFreq);
        _fields[field] = statistics;
        return statistics;
    }
}
