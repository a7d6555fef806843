namespace Rerank.IngestPipeline.Backfill;

/// <summary>How <c>rerank ingest backfill</c> runs.</summary>
public sealed record BackfillOptions
{
    /// <summary>Documents encoded and written per batch (one <c>_bulk</c> of updates). Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The slice of a sliced point in time this worker takes, or null (default) for the whole index.</summary>
    public ScanSlice? Slice { get; init; }

    /// <summary>
    /// A point in time to scan, shared by the workers of one sliced backfill (<c>rerank ingest pit</c> opens one);
    /// null (default) opens one for this run.
    /// </summary>
    public string? PointInTime { get; init; }

    /// <summary>
    /// Writes tried per document after a version conflict, each from a fresh read of the document. Default 5; a
    /// document still conflicting after them counts as failed.
    /// </summary>
    public int MaxConflictRetries { get; init; } = 5;

    /// <summary>Told after each page and batch; null (default) for none.</summary>
    public IProgress<BackfillProgress>? Progress { get; init; }
}
