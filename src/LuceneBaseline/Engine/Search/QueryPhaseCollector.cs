using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Collects one index's query phase in Elasticsearch's order: a document below <c>min_score</c> is dropped; the rest
/// feed the aggregations; <c>post_filter</c> then decides what counts as a hit (total, max score, top hits);
/// <c>terminate_after</c> stops after that many hits, <c>timeout</c> (on the request's clock, from the collector's creation)
/// and cancellation are checked every 1,024 documents.
/// </summary>
internal sealed class QueryPhaseCollector : ICollector
{
    private readonly bool _needScores;
    private readonly float? _minScore;
    private readonly FixedBitSet?[]? _postFilter;
    private readonly DocSet? _aggregationDocs;
    private readonly ITopHits _top;
    private readonly int _terminateAfter;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly TimeSpan? _timeout;
    private readonly CancellationToken _cancellationToken;
    private Scorer? _scorer;
    private FixedBitSet? _leafFilter;
    private int _leaf;
    private int _visited;

    public QueryPhaseCollector(
        bool needScores, float? minScore, FixedBitSet?[]? postFilter, DocSet? aggregationDocs, ITopHits top, int terminateAfter,
        TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        _needScores = needScores || minScore is not null;
        _minScore = minScore;
        _postFilter = postFilter;
        _aggregationDocs = aggregationDocs;
        _top = top;
        _terminateAfter = terminateAfter;
        _time = time;
        _started = timeout is null ? 0 : time.GetTimestamp();
        _timeout = timeout;
        _cancellationToken = cancellationToken;
    }

    public long TotalHits { get; private set; }

    /// <summary>The best score among the hits, NaN when none was scored.</summary>
    public float MaxScore { get; private set; } = float.NaN;

    public bool TerminatedEarly { get; private set; }

    /// <summary>
    /// Out of order only for score-sorted hits with no aggregations (they read doc values per document in order) and no
    /// <c>terminate_after</c> (which counts the first documents in order).
    /// </summary>
    public bool AcceptsDocsOutOfOrder => _top.AcceptsDocsOutOfOrder && _aggregationDocs is null && _terminateAfter == 0;

    public void SetScorer(Scorer scorer) => _scorer = scorer;

    public void SetNextReader(AtomicReaderContext context)
    {
        if (TerminatedEarly)
        {
            throw new CollectionTerminatedException();
        }

        _leaf = context.Ord;
        _leafFilter = _postFilter?[context.Ord];
        _top.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        if ((++_visited & 0x3FF) == 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_timeout is { } timeout && _time.GetElapsedTime(_started) > timeout)
            {
                throw new SearchTimeoutException();
            }
        }

        var score = _needScores ? _scorer!.GetScore() : float.NaN;
        if (_minScore is { } min && !(score >= min))
        {
            return;
        }

        _aggregationDocs?.Add(_leaf, doc);
        if (_postFilter is not null && (_leafFilter is null || !_leafFilter.Get(doc)))
        {
            return;
        }

        TotalHits++;
        if (score > MaxScore || float.IsNaN(MaxScore))
        {
            MaxScore = score;
        }

        _top.Collect(doc, score);
        if (_terminateAfter > 0 && TotalHits >= _terminateAfter)
        {
            TerminatedEarly = true;
            throw new CollectionTerminatedException();
        }
    }
}
