namespace Rerank.IngestPipeline.Bulk;

/// <summary>What one <c>_bulk</c> rewrite did (counts of action items; docs/write-path.md).</summary>
public sealed record BulkRewriteSummary
{
    /// <summary>Action lines read (index, create, update, delete).</summary>
    public int Items { get; init; }

    /// <summary>Items whose line was rewritten (vectors added or a stale mark set).</summary>
    public int Rewritten { get; init; }

    /// <summary>Passages that got vectors from the model.</summary>
    public int Encoded { get; init; }

    /// <summary>Passages due for vectors but written without, marked stale (model error, timeout, queue full, model not loaded).</summary>
    public int Stale { get; init; }

    /// <summary>Items forwarded byte for byte.</summary>
    public int Untouched { get; init; }

    /// <summary>True when an unparseable action line or an over-long line made the rest of the body pass through unchanged.</summary>
    public bool RestPassedThrough { get; init; }

    /// <summary>The most action items held in memory at once.</summary>
    public int PeakWindowItems { get; init; }

    /// <summary>The most body bytes held in memory at once.</summary>
    public long PeakWindowBytes { get; init; }

    /// <summary>Scripted updates of enabled indices (at most 10,000), for the host to mark stale after the cluster answers.</summary>
    public IReadOnlyList<Rerank.IngestPipeline.Writes.ScriptedUpdate> ScriptedUpdates { get; init; } = [];
}
