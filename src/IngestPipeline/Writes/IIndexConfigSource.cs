using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Writes;

/// <summary>
/// Where the write path learns an index's <c>_meta.rerank</c>. The sidecar's implementation reads the mapping from the
/// cluster with the caller's credentials and caches it (docs/index-config.md). Thread-safe.
/// </summary>
public interface IIndexConfigSource
{
    /// <summary>
    /// The config of <paramref name="index"/> (a name or alias), or null when it has none or it is disabled, or the
    /// index does not exist (the cluster then answers the write itself).
    /// </summary>
    /// <param name="index">The index or alias the write targets.</param>
    /// <param name="authorization">The caller's <c>Authorization</c> header, forwarded as is; null when none.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <exception cref="RerankConfigException">The index has an invalid <c>_meta.rerank</c>.</exception>
    ValueTask<RerankIndexConfig?> GetAsync(string index, string? authorization, CancellationToken cancellationToken);
}
