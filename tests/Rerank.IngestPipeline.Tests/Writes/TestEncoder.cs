using Rerank.IngestPipeline.Encoding;
using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>
/// Wraps an encoder to count its calls and texts, and to fail or block on chosen calls (1-based call numbers).
/// </summary>
internal sealed class TestEncoder(IPassageEncoder inner) : IPassageEncoder, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<int> _batchSizes = [];
    private int _calls;

    public int ThrowOnCall { get; init; }

    /// <summary>Calls at or after this number wait for <see cref="Release"/>; 0 never blocks.</summary>
    public int BlockFromCall { get; init; }

    public ManualResetEventSlim Gate { get; } = new(false);

    /// <summary>Set when a call starts waiting on the gate.</summary>
    public SemaphoreSlim Blocked { get; } = new(0);

    public string ModelId => inner.ModelId;

    public int Dim => inner.Dim;

    public int ProjectionDim => inner.ProjectionDim;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _batchSizes];
            }
        }
    }

    public int Texts => BatchSizes.Sum();

    public PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        lock (_lock)
        {
            _batchSizes.Add(texts.Count);
        }

        if (BlockFromCall > 0 && call >= BlockFromCall)
        {
            Blocked.Release();
            Gate.Wait(TimeSpan.FromSeconds(30));
        }

        if (call == ThrowOnCall)
        {
            throw new InvalidOperationException("injected model failure");
        }

        return inner.Encode(texts, cancellationToken);
    }

    public void Release() => Gate.Set();

    public void Dispose()
    {
        Gate.Set();
        Gate.Dispose();
        Blocked.Dispose();
    }
}
