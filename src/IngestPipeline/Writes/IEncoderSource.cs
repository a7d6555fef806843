using Rerank.IngestPipeline.Encoding;

namespace Rerank.IngestPipeline.Writes;

/// <summary>The loaded models by id (the sidecar's model registry, with hot reload). Thread-safe.</summary>
public interface IEncoderSource
{
    /// <summary>The encoder for <paramref name="modelId"/>, or null when no loaded bundle has that id.</summary>
    IPassageEncoder? Find(string modelId);
}
