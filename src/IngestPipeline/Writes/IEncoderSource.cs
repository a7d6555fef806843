using Rerank.IngestPipeline.Encoding;

namespace Rerank.IngestPipeline.Writes;

/// <summary>The loaded models by id (the sidecar's model registry, with hot reload). Thread-safe.</summary>
public interface IEncoderSource
{
    /// <summary>
    /// The encoder for <paramref name="modelId"/>, or null when no loaded bundle has that id. Returns the same instance
    /// for an id while it stays loaded: the write path keeps one batching queue per instance.
    /// </summary>
    IPassageEncoder? Find(string modelId);
}
