namespace Rerank.IngestPipeline.Backfill;

/// <summary>A backfill's counts so far; <see cref="Total"/> is the documents of the index (or slice) known so far.</summary>
public sealed record BackfillProgress(long Seen, long Total, long Done, long Skipped, long Conflicts, long Failed);
