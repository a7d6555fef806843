namespace Rerank.IngestPipeline.Backfill;

/// <summary>Where a document's stored vectors stand against its index's config (docs/index-config.md, docs/ingest.md).</summary>
public enum DocumentState
{
    /// <summary>Made by the configured model from the present text: a projection, the model id, the text's hash, no stale mark.</summary>
    Current,

    /// <summary>No projection (or no model id) and no stale mark: never vectorised.</summary>
    Missing,

    /// <summary>A stale mark, or a stored hash that does not match the present text.</summary>
    Stale,

    /// <summary>Vectors of another model than the configured one.</summary>
    OtherModel,
}
