using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// What one mapping lookup learned: a config, none (null), or an invalid config (<see cref="Error"/>). Only definite
/// answers are cached; a failed lookup (credentials refused, upstream down) is not, so the next write asks again.
/// </summary>
internal sealed record IndexConfigOutcome(RerankIndexConfig? Config, RerankConfigException? Error, bool Cacheable)
{
    public static readonly IndexConfigOutcome None = new(null, null, Cacheable: true);

    public static readonly IndexConfigOutcome Failed = new(null, null, Cacheable: false);
}
