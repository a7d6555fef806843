namespace Rerank.IngestPipeline.MappingBootstrap;

/// <summary>What <c>rerank ingest init</c> did.</summary>
/// <param name="Created">The index did not exist and was created.</param>
/// <param name="PreviousModel">The model id of the <c>_meta.rerank</c> it replaced, or null when there was none.</param>
public sealed record IndexInitResult(bool Created, string? PreviousModel);
