using Lucene.Net.Index;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>The best hits by score (ties: lower document first).</summary>
internal sealed class ScoreTopHits(int capacity) : ITopHits
{
    private readonly ScoreDocHeap _heap = new(capacity);
    private int _docBase;

    /// <summary>The heap orders pairs totally (score, then doc), so the order they come in does not matter.</summary>
    public bool AcceptsDocsOutOfOrder => true;

    public void SetNextReader(AtomicReaderContext context) => _docBase = context.DocBase;

    public void Collect(int doc, float score) => _heap.Offer(_docBase + doc, score);

    public List<ShardHit> Results(int targetIndex) => [.. _heap.ToSortedArray().Select(h => new ShardHit(targetIndex, h.Doc, h.Score, null))];
}
