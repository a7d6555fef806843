using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class LocalCheckpointTrackerTests
{
    [Fact]
    public void MarkProcessed_OutOfOrder_CheckpointWaitsForTheGap()
    {
        var tracker = new LocalCheckpointTracker(-1);

        tracker.MarkProcessed(1);
        tracker.MarkProcessed(2);
        Assert.Equal(-1, tracker.Checkpoint); // 0 is still in flight

        tracker.MarkProcessed(0);
        Assert.Equal(2, tracker.Checkpoint);

        tracker.MarkProcessed(4);
        Assert.Equal(2, tracker.Checkpoint);
        tracker.MarkProcessed(3);
        Assert.Equal(4, tracker.Checkpoint);
    }

    [Fact]
    public void MarkProcessed_ManyThreads_CheckpointReachesTheLast()
    {
        var tracker = new LocalCheckpointTracker(9);

        Parallel.For(10, 10_010, seqNo => tracker.MarkProcessed(seqNo));

        Assert.Equal(10_009, tracker.Checkpoint);
    }
}
