namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// One open point in time: the searchers (each over a reader acquired when it was opened) of its indices, in the
/// order they were opened, and when it expires. Reference-counted: the registry holds one reference while it is
/// open and each running search one more, so closing or expiring it during a search releases the readers only when
/// that search is done.
/// </summary>
internal sealed class PointInTimeContext
{
    private readonly IReadOnlyList<IDisposable> _releases;
    private int _references = 1;

    public PointInTimeContext(PointInTimeId id, IReadOnlyList<SearchTarget> targets, IReadOnlyList<IDisposable> releases, DateTimeOffset expiresAt)
    {
        Id = id;
        Targets = targets;
        _releases = releases;
        ExpiresAt = expiresAt;
    }

    public PointInTimeId Id { get; }

    /// <summary>The indices as they were when the point in time was opened; a hit's <c>_shard_doc</c> counts them in this order.</summary>
    public IReadOnlyList<SearchTarget> Targets { get; }

    /// <summary>When it expires; guarded by the registry's lock.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Takes a reference for one search; false when the context is already released.</summary>
    public bool TryRetain()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Drops a reference; the last one releases every reader.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            foreach (var release in _releases)
            {
                release.Dispose();
            }
        }
    }
}
