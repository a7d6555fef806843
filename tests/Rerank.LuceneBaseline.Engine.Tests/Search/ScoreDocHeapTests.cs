using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class ScoreDocHeapTests
{
    // Six (doc, score) pairs with ties; the best three by score descending, ties to the lower doc, are worked out by
    // hand: (4, 3.0), (1, 2.0), (3, 2.0). Lucene's window scorer hands documents over out of order, so every order of
    // arrival must keep the same three.
    private static readonly (int Doc, float Score)[] Pairs = [(0, 1.0f), (1, 2.0f), (2, 1.0f), (3, 2.0f), (4, 3.0f), (5, 2.0f)];

    public static TheoryData<int[]> Orders() => new([0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 5, 0, 4, 2, 1], [5, 3, 1, 0, 2, 4]);

    [Theory]
    [MemberData(nameof(Orders))]
    public void Offer_AnyArrivalOrder_KeepsTheSameBestPairs(int[] order)
    {
        var heap = new ScoreDocHeap(3);

        foreach (var i in order)
        {
            heap.Offer(Pairs[i].Doc, Pairs[i].Score);
        }

        Assert.Equal([(4, 3.0f), (1, 2.0f), (3, 2.0f)], heap.ToSortedArray());
    }
}
