namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>A point in time borrowed for one search; dispose it (once) when the search is done.</summary>
internal sealed class PointInTimeLease : IDisposable
{
    private PointInTimeContext? _context;

    public PointInTimeLease(PointInTimeContext context, string id)
    {
        _context = context;
        Targets = context.Targets;
        Id = id;
    }

    /// <summary>The id to answer as <c>pit_id</c>.</summary>
    public string Id { get; }

    public IReadOnlyList<SearchTarget> Targets { get; }

    public void Dispose() => Interlocked.Exchange(ref _context, null)?.Release();
}
