namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The local checkpoint of an index: the highest <c>_seq_no</c> at or below which every operation has been applied to the
/// Lucene writer. Writes to different ids run in parallel and finish out of order; a reader refreshed after the
/// checkpoint reached n sees every operation up to n, which is what <c>refresh=wait_for</c> and realtime get rely on.
/// Thread-safe.
/// </summary>
internal sealed class LocalCheckpointTracker
{
    private readonly Lock _lock = new();
    private readonly HashSet<long> _aboveCheckpoint = [];
    private long _checkpoint;

    /// <param name="checkpoint">The checkpoint to start from: the highest sequence number already applied (-1 for none).</param>
    public LocalCheckpointTracker(long checkpoint)
    {
        _checkpoint = checkpoint;
    }

    public long Checkpoint => Volatile.Read(ref _checkpoint);

    /// <summary>Records that the operation <paramref name="seqNo"/> is applied (or failed and will never be).</summary>
    public void MarkProcessed(long seqNo)
    {
        lock (_lock)
        {
            if (seqNo <= _checkpoint)
            {
                return;
            }

            if (seqNo != _checkpoint + 1)
            {
                _aboveCheckpoint.Add(seqNo);
                return;
            }

            var next = seqNo;
            while (_aboveCheckpoint.Remove(next + 1))
            {
                next++;
            }

            Volatile.Write(ref _checkpoint, next);
        }
    }
}
