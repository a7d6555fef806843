using Rerank.Model.Runtime;
using Rerank.Sidecar.Models;

namespace Rerank.Sidecar.Search;

/// <summary>
/// <see cref="IQueryScorer"/> over the <see cref="ModelRegistry"/>: each call runs on the thread pool (ONNX Runtime is
/// synchronous) and holds a lease on the bundle until it returns, so a call abandoned at the budget keeps its model
/// alive until it ends and a reload never disposes a model under it.
/// </summary>
internal sealed class RegistryQueryScorer(ModelRegistry registry) : IQueryScorer
{
    public int? ProjectionDim(string modelId) => registry.Find(modelId)?.ProjectionDim;

    public Task<float[]> EncodeQueryAsync(string modelId, string text, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var lease = registry.Acquire(modelId) ?? throw new ModelNotLoadedException(modelId);
                try
                {
                    return lease.Model.EncodeQueries([text], cancellationToken);
                }
                finally
                {
                    lease.Release();
                }
            },
            cancellationToken);

    public Task<float[]> ScoreAsync(string modelId, float[] query, float[] projections, StudentBranch branch, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var lease = registry.Acquire(modelId) ?? throw new ModelNotLoadedException(modelId);
                try
                {
                    var logits = new float[projections.Length / lease.ProjectionDim];
                    lease.Model.Score(query, projections, branch, logits);
                    return logits;
                }
                finally
                {
                    lease.Release();
                }
            },
            cancellationToken);
}
