using Rerank.Model.Runtime;
using Rerank.Sidecar.Models;

namespace Rerank.Sidecar.Search;

/// <summary>
/// <see cref="IQueryScorer"/> over the <see cref="ModelRegistry"/>: each call runs on the thread pool (ONNX Runtime is
/// synchronous) and holds a lease on the bundle until it returns, so a call abandoned at the budget keeps its model
/// alive until it ends and a reload never disposes a model under it. Calls take a slot of
/// <see cref="ModelCallSlots"/>, so what the models are asked to do stays bounded however many searches arrive.
/// </summary>
internal sealed class RegistryQueryScorer(ModelRegistry registry, ModelCallSlots slots) : IQueryScorer
{
    public int? ProjectionDim(string modelId) => registry.Find(modelId)?.ProjectionDim;

    public Task<float[]> EncodeQueryAsync(string modelId, string text, CancellationToken cancellationToken) =>
        RunAsync(modelId, model => model.EncodeQueries([text], cancellationToken), cancellationToken);

    public Task<float[]> ScoreAsync(string modelId, float[] query, float[] projections, StudentBranch branch, CancellationToken cancellationToken) =>
        RunAsync(
            modelId,
            model =>
            {
                var logits = new float[projections.Length / model.ProjectionDim];
                model.Score(query, projections, branch, logits);
                return logits;
            },
            cancellationToken);

    private Task<float[]> RunAsync(string modelId, Func<StudentModel, float[]> call, CancellationToken cancellationToken) =>
        slots.RunAsync(
            () =>
            {
                var lease = registry.Acquire(modelId) ?? throw new ModelNotLoadedException(modelId);
                try
                {
                    return call(lease.Model);
                }
                finally
                {
                    lease.Release();
                }
            },
            cancellationToken);
}
