using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// The open points in time of one engine: opened by <c>POST /{index}/_pit</c>, used by <c>_search</c> with
/// <c>pit</c>, closed by <c>DELETE /_pit</c> or when their keep-alive runs out.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A point in time pins one Lucene reader per index (acquired when it is opened), so documents written,
/// updated or deleted afterwards are not seen by searches through it, refresh or not.</item>
/// <item>Expiry is measured on the injected <see cref="TimeProvider"/>. Expired contexts are released by every
/// registry call and by a sweep timer on the same clock, so readers do not outlive their keep-alive by more than a
/// minute even when no request comes.</item>
/// <item>Resources are bounded as Elasticsearch bounds them: at most <c>maxOpen</c> contexts
/// (<c>search.max_open_scroll_context</c>, 500) and a keep-alive of at most <c>maxKeepAlive</c>
/// (<c>search.max_keep_alive</c>, 24h).</item>
/// </list>
/// Thread-safe. Disposing releases every context (the host does it before closing the indices).
/// </remarks>
internal sealed class PointInTimeRegistry : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, PointInTimeContext> _open = [];
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private long _nextContext;
    private bool _disposed;

    public PointInTimeRegistry(TimeProvider time, int maxOpen = PointInTimeErrors.DefaultMaxOpen, TimeSpan? maxKeepAlive = null)
    {
        _time = time;
        MaxOpen = maxOpen;
        MaxKeepAlive = maxKeepAlive ?? PointInTimeErrors.DefaultMaxKeepAlive;
        _sweep = time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    public int MaxOpen { get; }

    public TimeSpan MaxKeepAlive { get; }

    /// <summary>The number of open (unexpired, unclosed) points in time.</summary>
    public int OpenCount
    {
        get
        {
            Sweep();
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Opens a point in time over <paramref name="targets"/>, taking ownership of <paramref name="releases"/> (released when it closes or expires, or here on failure).</summary>
    /// <returns>The id.</returns>
    /// <exception cref="EngineException">The keep-alive is over the limit, or too many are open.</exception>
    public string Open(IReadOnlyList<SearchTarget> targets, IReadOnlyList<IDisposable> releases, TimeSpan keepAlive)
    {
        try
        {
            CheckKeepAlive(keepAlive);
            Sweep();
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_open.Count >= MaxOpen)
                {
                    throw PointInTimeErrors.TooMany(MaxOpen);
                }

                var id = PointInTimeId.Create(++_nextContext);
                _open[id.Context] = new PointInTimeContext(id, targets, releases, _time.GetUtcNow() + keepAlive);
                return id.ToString();
            }
        }
        catch
        {
            foreach (var release in releases)
            {
                release.Dispose();
            }

            throw;
        }
    }

    /// <summary>Borrows the point in time <paramref name="id"/> for one search, first extending its expiry to now + <paramref name="keepAlive"/> when given.</summary>
    /// <exception cref="EngineException"><c>invalid id</c> (400), or <c>search_context_missing_exception</c> (404) when it expired, was closed or never existed.</exception>
    public PointInTimeLease Acquire(string id, TimeSpan? keepAlive)
    {
        if (!PointInTimeId.TryParse(id, out var parsed))
        {
            throw PointInTimeErrors.InvalidId(id);
        }

        if (keepAlive is { } requested)
        {
            CheckKeepAlive(requested);
        }

        Sweep();
        lock (_lock)
        {
            if (!_open.TryGetValue(parsed.Context, out var context) || context.Id.Secret != parsed.Secret || !context.TryRetain())
            {
                throw PointInTimeErrors.Missing(parsed.Context);
            }

            if (keepAlive is { } extend)
            {
                context.ExpiresAt = _time.GetUtcNow() + extend;
            }

            return new PointInTimeLease(context, id);
        }
    }

    /// <summary>Closes the point in time <paramref name="id"/>; its readers are released once no search uses them.</summary>
    /// <returns>The number of contexts freed: 1, or 0 when it was unknown, expired or closed already.</returns>
    /// <exception cref="EngineException"><c>invalid id</c> (400) for an id that does not decode.</exception>
    public int Close(string id)
    {
        if (!PointInTimeId.TryParse(id, out var parsed))
        {
            throw PointInTimeErrors.InvalidId(id);
        }

        Sweep();
        PointInTimeContext? context;
        lock (_lock)
        {
            if (!_open.TryGetValue(parsed.Context, out context) || context.Id.Secret != parsed.Secret)
            {
                return 0;
            }

            _open.Remove(parsed.Context);
        }

        context.Release();
        return 1;
    }

    public void Dispose()
    {
        _sweep.Dispose();
        List<PointInTimeContext> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _open.Values];
            _open.Clear();
        }

        foreach (var context in all)
        {
            context.Release();
        }
    }

    private void CheckKeepAlive(TimeSpan keepAlive)
    {
        if (keepAlive > MaxKeepAlive)
        {
            throw PointInTimeErrors.KeepAliveTooLarge(keepAlive, MaxKeepAlive);
        }
    }

    /// <summary>Releases every context whose keep-alive has run out.</summary>
    private void Sweep()
    {
        List<PointInTimeContext>? expired = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var context in _open.Values)
            {
                if (context.ExpiresAt <= now)
                {
                    (expired ??= []).Add(context);
                }
            }

            foreach (var context in expired ?? [])
            {
                _open.Remove(context.Id.Context);
            }
        }

        foreach (var context in expired ?? [])
        {
            context.Release();
        }
    }
}
