using Lucene.Net.Index;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The best hits by a field sort (ties: lower document first), skipping documents at or before the
/// <c>search_after</c> keys. Keys are read into a scratch array; only a document that enters the top list is copied.
/// </summary>
internal sealed class FieldTopHits : ITopHits
{
    private readonly ResolvedSort[] _sorts;
    private readonly int _capacity;
    private readonly SortValue[]? _after;
    private readonly SortValue[] _scratch;
    private readonly LeafSortReader[] _readers;
    private readonly PriorityQueue<ShardHit, ShardHit> _queue;
    private int _docBase;

    public FieldTopHits(ResolvedSort[] sorts, int capacity, SortValue[]? after)
    {
        _sorts = sorts;
        _capacity = capacity;
        _after = after;
        _scratch = new SortValue[sorts.Length];
        _readers = new LeafSortReader[sorts.Length];
        // The root of the queue is the worst kept hit.
        _queue = new PriorityQueue<ShardHit, ShardHit>(Comparer<ShardHit>.Create((a, b) => -Compare(a, b)));
    }

    /// <summary>Field sorts break ties by document in arrival order.</summary>
    public bool AcceptsDocsOutOfOrder => false;

    public void SetNextReader(AtomicReaderContext context)
    {
        _docBase = context.DocBase;
        for (var i = 0; i < _sorts.Length; i++)
        {
            _readers[i] = _sorts[i].Open(context);
        }
    }

    public void Collect(int doc, float score)
    {
        for (var i = 0; i < _readers.Length; i++)
        {
            _readers[i].Read(doc, score, ref _scratch[i]);
        }

        if (_after is not null && CompareValues(_scratch, _after) <= 0)
        {
            return;
        }

        if (_capacity == 0)
        {
            return;
        }

        if (_queue.Count == _capacity)
        {
            // Equal keys: the earlier document stays.
            if (CompareValues(_scratch, _queue.Peek().SortValues!) >= 0)
            {
                return;
            }

            _queue.Dequeue();
        }

        var values = new SortValue[_scratch.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _scratch[i].Detach();
        }

        var hit = new ShardHit(-1, _docBase + doc, score, values);
        _queue.Enqueue(hit, hit);
    }

    public List<ShardHit> Results(int targetIndex)
    {
        var hits = new List<ShardHit>(_queue.Count);
        while (_queue.TryDequeue(out var hit, out _))
        {
            hits.Add(hit with { TargetIndex = targetIndex });
        }

        hits.Reverse();
        return hits;
    }

    private int Compare(ShardHit a, ShardHit b)
    {
        var c = CompareValues(a.SortValues!, b.SortValues!);
        return c != 0 ? c : a.Doc.CompareTo(b.Doc);
    }

    private int CompareValues(SortValue[] a, SortValue[] b)
    {
        for (var i = 0; i < _sorts.Length; i++)
        {
            var c = _sorts[i].Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}
