namespace Rerank.IngestPipeline.Contracts;

/// <summary>An index's <c>_meta.rerank</c> is not valid; <see cref="Errors"/> names every problem at once.</summary>
public sealed class RerankConfigException : Exception
{
    public RerankConfigException(string index, IReadOnlyList<string> errors)
        : base($"invalid [_meta.rerank] of index [{index}]: {string.Join("; ", errors)}")
    {
        Index = index;
        Errors = errors;
    }

    public string Index { get; }

    public IReadOnlyList<string> Errors { get; }
}
