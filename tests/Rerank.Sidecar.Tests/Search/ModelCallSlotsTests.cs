using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Tests.Search;

public sealed class ModelCallSlotsTests
{
    private static ModelCallSlots Slots(int count) =>
        new(new SidecarOptions { Upstream = new Uri("http://127.0.0.1:9200"), Search = new SearchOptions { MaxConcurrentModelCalls = count } });

    [Fact]
    public async Task RunAsync_AbandonedCall_KeepsItsSlotUntilItsWorkEnds()
    {
        var slots = Slots(1);
        using var gate = new ManualResetEventSlim();
        using var firstCaller = new CancellationTokenSource();

        // The first call takes the only slot; its caller gives up waiting (as a search does at its budget).
        var first = slots.RunAsync(() => { gate.Wait(TestContext.Current.CancellationToken); return 1; }, firstCaller.Token);
        var abandoned = first.WaitAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<TimeoutException>(() => abandoned);
        Assert.Equal(0, slots.Available);

        // A second call cannot start while that work still runs: it gives up at its own deadline.
        using var secondDeadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.RunAsync(() => 2, secondDeadline.Token));

        // Once the abandoned work ends, its slot is free again.
        gate.Set();
        Assert.Equal(1, await first);
        Assert.Equal(3, await slots.RunAsync(() => 3, TestContext.Current.CancellationToken));
        Assert.Equal(1, slots.Available);
    }

    [Fact]
    public async Task RunAsync_FailingWork_GivesItsSlotBack()
    {
        var slots = Slots(2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => slots.RunAsync<int>(() => throw new InvalidOperationException("model failed"), TestContext.Current.CancellationToken));

        Assert.Equal(2, slots.Available);
    }

    [Fact]
    public async Task RunAsync_ManyCallers_NeverRunMoreThanTheSlots()
    {
        var slots = Slots(2);
        var running = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => slots.RunAsync(
            () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                Thread.Sleep(5);
                Interlocked.Decrement(ref running);
                return 0;
            },
            TestContext.Current.CancellationToken)));

        Assert.InRange(most, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
