namespace Rerank.IngestPipeline.Backfill;

/// <summary>What a backfill did, document by document (docs/ingest.md).</summary>
public sealed record BackfillReport
{
    /// <summary>Documents written with fresh vectors (after a conflict too).</summary>
    public long Done { get; init; }

    /// <summary>Documents that were already current (also those found current when re-read after a conflict).</summary>
    public long Skipped { get; init; }

    /// <summary>Version conflicts met: a newer write came between the scan (or re-read) and the update; each was retried.</summary>
    public long Conflicts { get; init; }

    /// <summary>Documents deleted between the scan and the write (nothing to do).</summary>
    public long Deleted { get; init; }

    /// <summary>Documents left without current vectors: the model failed, a write was refused, or conflicts outlasted the retries.</summary>
    public long Failed { get; init; }

    /// <summary>The first few failures, each naming the document and why.</summary>
    public IReadOnlyList<string> FailureSamples { get; init; } = [];
}
