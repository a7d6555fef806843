using Lucene.Net.Index;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Keeps the best hits of one index while the query phase collects, in increasing document order.</summary>
internal interface ITopHits
{
    void SetNextReader(AtomicReaderContext context);

    /// <param name="doc">The segment-local document.</param>
    /// <param name="score">Its score, or NaN when not computed.</param>
    void Collect(int doc, float score);

    /// <summary>The kept hits, best first.</summary>
    List<ShardHit> Results(int targetIndex);
}
