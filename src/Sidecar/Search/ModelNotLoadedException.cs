namespace Rerank.Sidecar.Search;

/// <summary>No loaded bundle has the model id a search needs (<c>fallback:model_not_loaded</c>).</summary>
internal sealed class ModelNotLoadedException(string modelId) : Exception($"model [{modelId}] is not loaded")
{
    public string ModelId { get; } = modelId;
}
