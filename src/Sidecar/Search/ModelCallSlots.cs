using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Search;

/// <summary>
/// Bounds how many model calls run at once (<see cref="SearchOptions.MaxConcurrentModelCalls"/>). A call waits for a
/// slot under its caller's token (the search's budget) and then runs on the thread pool to its end: the slot is given
/// back by the work itself, not by a caller that stopped waiting, so a flood of searches that each give up at their
/// budget cannot pile up more model work than the slots allow.
/// </summary>
/// <remarks>Thread-safe. One instance per host (a singleton), shared by every model: they share the CPU.</remarks>
internal sealed class ModelCallSlots(SidecarOptions options)
{
    private readonly SemaphoreSlim _slots = new(options.Search.MaxConcurrentModelCalls, options.Search.MaxConcurrentModelCalls);

    /// <summary>Slots free now.</summary>
    public int Available => _slots.CurrentCount;

    /// <summary>Runs <paramref name="work"/> once a slot is free.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> ended the wait for a slot.</exception>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(
            () =>
            {
                try
                {
                    return work();
                }
                finally
                {
                    _slots.Release();
                }
            },
            CancellationToken.None).ConfigureAwait(false);
    }
}
