namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// Why a document was written without current vectors; the value of the stale field (docs/index-config.md).
/// Backfill re-encodes every document that carries one.
/// </summary>
public static class StaleReason
{
    /// <summary>The model threw while encoding the document's batch.</summary>
    public const string ModelError = "model_error";

    /// <summary>Encoding did not finish within the write's encode timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The encode queue was full (back-pressure: the write goes on without vectors).</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The index's configured model is not loaded in this sidecar.</summary>
    public const string ModelNotLoaded = "model_not_loaded";

    /// <summary>A partial update changed some text fields but not all, so the new text is unknown at write time.</summary>
    public const string PartialUpdate = "partial_update";

    /// <summary>A scripted update, whose effect on the text is unknown at write time.</summary>
    public const string ScriptUpdate = "script_update";

    public static IReadOnlyList<string> All { get; } = [ModelError, Timeout, QueueFull, ModelNotLoaded, PartialUpdate, ScriptUpdate];
}
