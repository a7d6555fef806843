using Rerank.IngestPipeline.Encoding;
using Rerank.Model.Runtime;

namespace Rerank.Sidecar.Models;

/// <summary>
/// What <see cref="ModelRegistry.Find"/> hands out: the encoder for one model id. Each call leases the bundle loaded
/// under that id at that moment, so a caller may keep the handle across reloads; once the id is no longer loaded, calls
/// throw <see cref="InvalidOperationException"/> (the write path then marks its documents stale).
/// </summary>
internal sealed class ModelHandle(ModelRegistry registry, string modelId, int dim, int projectionDim) : IPassageEncoder
{
    public string ModelId { get; } = modelId;

    public int Dim { get; } = dim;

    public int ProjectionDim { get; } = projectionDim;

    public PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var lease = registry.Acquire(ModelId) ?? throw new InvalidOperationException($"model [{ModelId}] is no longer loaded");
        try
        {
            return lease.Model.EncodePassages(texts, cancellationToken);
        }
        finally
        {
            lease.Release();
        }
    }
}
