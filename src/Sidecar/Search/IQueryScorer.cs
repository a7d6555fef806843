using Rerank.Model.Runtime;

namespace Rerank.Sidecar.Search;

/// <summary>
/// The model calls of a reranked search: encode the query, score the window. The host registers
/// <see cref="RegistryQueryScorer"/> (the loaded bundles); tests replace it (a slow or throwing model).
/// </summary>
/// <remarks>Thread-safe. Each call leases the bundle loaded under the id for its own duration.</remarks>
internal interface IQueryScorer
{
    /// <summary>The width of a stored projection u_p of <paramref name="modelId"/>, or null when no loaded bundle has that id.</summary>
    int? ProjectionDim(string modelId);

    /// <summary>The query's embedding (the model cuts the text to its manifest's limits).</summary>
    /// <exception cref="ModelNotLoadedException">No loaded bundle has the id (any more).</exception>
    Task<float[]> EncodeQueryAsync(string modelId, string text, CancellationToken cancellationToken);

    /// <summary>One logit per candidate (<c>projections.Length / ProjectionDim</c>), in candidate order.</summary>
    /// <exception cref="ModelNotLoadedException">No loaded bundle has the id (any more).</exception>
    Task<float[]> ScoreAsync(string modelId, float[] query, float[] projections, StudentBranch branch, CancellationToken cancellationToken);
}
