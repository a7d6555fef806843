using Rerank.LuceneBaseline.Engine.Search.PointInTime;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.PointInTime;

/// <summary>How slices split the shards (indices) of a point in time.</summary>
public sealed class SliceFilterTests
{
    [Theory]
    [InlineData(0, 0L, 5L)]
    [InlineData(1, 5L, 10L)]
    public void Range_OneShardTwoSlices_SplitsTheDocumentsInHalves(int id, long from, long to) =>
        Assert.Equal((from, to), SliceFilter.Range(new SliceSpec(id, 2), shard: 0, shards: 1, maxDoc: 10));

    [Fact]
    public void Range_FewerSlicesThanShards_GivesWholeShardsRoundRobin()
    {
        // 3 shards, 2 slices: slice 0 reads shards 0 and 2, slice 1 reads shard 1.
        Assert.Equal((0L, 7L), SliceFilter.Range(new SliceSpec(0, 2), shard: 2, shards: 3, maxDoc: 7));
        Assert.Equal((0L, 0L), SliceFilter.Range(new SliceSpec(1, 2), shard: 2, shards: 3, maxDoc: 7));
        Assert.Equal((0L, 7L), SliceFilter.Range(new SliceSpec(1, 2), shard: 1, shards: 3, maxDoc: 7));
    }

    [Theory]
    [InlineData(1, 2, 10)]
    [InlineData(1, 7, 3)]
    [InlineData(2, 5, 11)]
    [InlineData(3, 2, 9)]
    [InlineData(4, 9, 13)]
    public void Range_EveryDocument_IsInExactlyOneSlice(int shards, int max, int maxDoc)
    {
        for (var shard = 0; shard < shards; shard++)
        {
            var seen = new int[maxDoc];
            for (var id = 0; id < max; id++)
            {
                var (from, to) = SliceFilter.Range(new SliceSpec(id, max), shard, shards, maxDoc);
                for (var doc = from; doc < to; doc++)
                {
                    seen[doc]++;
                }
            }

            Assert.All(seen, count => Assert.Equal(1, count));
        }
    }
}
