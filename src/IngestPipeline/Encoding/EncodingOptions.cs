namespace Rerank.IngestPipeline.Encoding;

/// <summary>
/// How the write path batches passages into the model and how much of a <c>_bulk</c> body it holds at once
/// (docs/write-path.md). Validated by <see cref="Validate"/>, every problem at once.
/// </summary>
public sealed record EncodingOptions
{
    /// <summary>Texts per model call, at most. Default 64.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>How long a batch waits for more texts after its first one before it is encoded. Default 5 ms; zero encodes what is queued at once.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Texts queued (waiting for a batch) per model, at most; a text beyond it is written stale (<c>queue_full</c>). Default 4096.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>
    /// How long the model may go without finishing a batch while a write waits on it; then that write's texts are
    /// written stale (<c>timeout</c>). Queueing behind other writes while the model keeps finishing batches does not
    /// count against it (<see cref="MaxWait"/> bounds that). Default 10 s.
    /// </summary>
    public TimeSpan EncodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a write waits for its vectors in all, however busy the model is; the texts not done by then are
    /// written stale (<c>timeout</c>). At least <see cref="EncodeTimeout"/>. Default 60 s.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Bulk items held (read, not yet written on) at once, at most. Default 512.</summary>
    public int BulkWindowDocuments { get; init; } = 512;

    /// <summary>Bulk bytes held at once; a window is written on once it reaches this (one line may exceed it). Default 4 MiB.</summary>
    public int BulkWindowBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The longest bulk line read whole (Elasticsearch's default <c>http.max_content_length</c>, 100 MiB). From a longer
    /// line on, the rest of the body is forwarded unchanged and the cluster answers it.
    /// </summary>
    public int MaxLineBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming every out-of-range value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxBatch < 1)
        {
            errors.Add($"[{nameof(MaxBatch)}] must be at least 1, got [{MaxBatch}]");
        }

        if (MaxDelay < TimeSpan.Zero)
        {
            errors.Add($"[{nameof(MaxDelay)}] must not be negative, got [{MaxDelay}]");
        }

        if (QueueCapacity < 1)
        {
            errors.Add($"[{nameof(QueueCapacity)}] must be at least 1, got [{QueueCapacity}]");
        }

        if (EncodeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"[{nameof(EncodeTimeout)}] must be positive, got [{EncodeTimeout}]");
        }

        if (MaxWait < EncodeTimeout)
        {
            errors.Add($"[{nameof(MaxWait)}] must be at least [{nameof(EncodeTimeout)}] ({EncodeTimeout}), got [{MaxWait}]");
        }

        if (BulkWindowDocuments < 1)
        {
            errors.Add($"[{nameof(BulkWindowDocuments)}] must be at least 1, got [{BulkWindowDocuments}]");
        }

        if (BulkWindowBytes < 1)
        {
            errors.Add($"[{nameof(BulkWindowBytes)}] must be at least 1, got [{BulkWindowBytes}]");
        }

        if (MaxLineBytes < 1)
        {
            errors.Add($"[{nameof(MaxLineBytes)}] must be at least 1, got [{MaxLineBytes}]");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid encoding options: {string.Join("; ", errors)}");
        }
    }
}
