namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Reads one sort key for documents of one segment, in increasing document order.</summary>
internal abstract class LeafSortReader
{
    /// <param name="doc">The segment-local document.</param>
    /// <param name="score">The document's score (NaN when not computed).</param>
    /// <param name="value">Receives the key; bytes may point into a buffer the next call reuses.</param>
    public abstract void Read(int doc, float score, ref SortValue value);
}
