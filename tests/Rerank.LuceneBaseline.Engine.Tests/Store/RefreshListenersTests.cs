using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class RefreshListenersTests
{
    [Fact]
    public async Task Complete_Checkpoint_CompletesCoveredListenersOnly()
    {
        var listeners = new RefreshListeners();
        var three = listeners.Add(3, CancellationToken.None);
        var five = listeners.Add(5, CancellationToken.None);

        listeners.Complete(4);

        await three.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(five.IsCompleted);
        Assert.Equal(1, listeners.Count);
        listeners.Complete(5);
        await five.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, listeners.Count);
    }

    [Fact]
    public async Task Add_Cancelled_TaskCancelledAndRemoved()
    {
        var listeners = new RefreshListeners();
        using var cancellation = new CancellationTokenSource();
        var task = listeners.Add(7, cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(0, listeners.Count);
    }
}
