namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The best <c>capacity</c> (score, doc) pairs by score descending, ties to the lower doc: a fixed-size binary heap
/// whose root is the worst kept pair, so offering a document costs no allocation.
/// </summary>
internal sealed class ScoreDocHeap
{
    private readonly float[] _scores;
    private readonly int[] _docs;

    public ScoreDocHeap(int capacity)
    {
        _scores = new float[capacity];
        _docs = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Offers a pair, in any document order: the comparison is total (score, then doc).</summary>
    public void Offer(int doc, float score)
    {
        if (_scores.Length == 0)
        {
            return;
        }

        if (Count < _scores.Length)
        {
            _scores[Count] = score;
            _docs[Count] = doc;
            SiftUp(Count++);
            return;
        }

        if (!Better(score, doc, _scores[0], _docs[0]))
        {
            return;
        }

        _scores[0] = score;
        _docs[0] = doc;
        SiftDown(0);
    }

    /// <summary>The kept pairs, best first.</summary>
    public (int Doc, float Score)[] ToSortedArray()
    {
        var result = new (int Doc, float Score)[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = (_docs[i], _scores[i]);
        }

        Array.Sort(result, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc));
        return result;
    }

    private static bool Better(float score, int doc, float otherScore, int otherDoc) =>
        score > otherScore || (score == otherScore && doc < otherDoc);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_scores[parent], _docs[parent], _scores[i], _docs[i]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= Count)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < Count && Better(_scores[left], _docs[left], _scores[right], _docs[right]))
            {
                worst = right;
            }

            if (!Better(_scores[i], _docs[i], _scores[worst], _docs[worst]))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_docs[a], _docs[b]) = (_docs[b], _docs[a]);
    }
}
