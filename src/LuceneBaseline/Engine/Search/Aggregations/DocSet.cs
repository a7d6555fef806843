namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>The documents an aggregation runs over: segment-local numbers per segment, in increasing order.</summary>
internal sealed class DocSet
{
    private readonly int[][] _docs;
    private readonly int[] _counts;

    public DocSet(int leafCount)
    {
        _docs = new int[leafCount][];
        _counts = new int[leafCount];
        for (var i = 0; i < leafCount; i++)
        {
            _docs[i] = [];
        }
    }

    public int LeafCount => _docs.Length;

    public long Count { get; private set; }

    public void Add(int leaf, int doc)
    {
        var docs = _docs[leaf];
        if (_counts[leaf] == docs.Length)
        {
            Array.Resize(ref docs, Math.Max(16, docs.Length * 2));
            _docs[leaf] = docs;
        }

        docs[_counts[leaf]++] = doc;
        Count++;
    }

    public ReadOnlySpan<int> Leaf(int leaf) => _docs[leaf].AsSpan(0, _counts[leaf]);
}
