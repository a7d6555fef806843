namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// Where the sidecar stores its per-document values (dotted paths into <c>_source</c>; docs/index-config.md).
/// Defaults keep them together under one <c>rerank</c> object.
/// </summary>
public sealed record RerankStoredFields
{
    public const string DefaultProjection = "rerank.projection";
    public const string DefaultEmbedding = "rerank.embedding";
    public const string DefaultModel = "rerank.model";
    public const string DefaultTextHash = "rerank.text_hash";
    public const string DefaultStale = "rerank.stale";

    /// <summary>u_p, the passage projection the scorer reads at query time (encoding per <see cref="RerankIndexConfig.ProjectionEncoding"/>).</summary>
    public string Projection { get; init; } = DefaultProjection;

    /// <summary>The pooled embedding for kNN candidates (an indexed <c>dense_vector</c>), or null when it is not stored.</summary>
    public string? Embedding { get; init; }

    /// <summary>The model id that produced the vectors (<c>keyword</c>).</summary>
    public string Model { get; init; } = DefaultModel;

    /// <summary>The hash of the passage text the vectors were made from (<c>keyword</c>; <see cref="PassageText.Hash"/>).</summary>
    public string TextHash { get; init; } = DefaultTextHash;

    /// <summary>Present (a <see cref="StaleReason"/>) when the document was written without current vectors (<c>keyword</c>).</summary>
    public string Stale { get; init; } = DefaultStale;

    /// <summary>Every stored path, the embedding's only when it is stored.</summary>
    public IEnumerable<string> All()
    {
        yield return Projection;
        if (Embedding is not null)
        {
            yield return Embedding;
        }

        yield return Model;
        yield return TextHash;
        yield return Stale;
    }
}
