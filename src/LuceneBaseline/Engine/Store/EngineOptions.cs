namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>Engine-wide settings.</summary>
public sealed record EngineOptions
{
    /// <summary>Whether a write to a missing index creates it (<c>action.auto_create_index</c>). Default true.</summary>
    public bool AutoCreateIndex { get; init; } = true;

    /// <summary>The refresh interval of indices that do not set <c>index.refresh_interval</c>. Default 1 s.</summary>
    public TimeSpan DefaultRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether deleting indices needs their names (<c>action.destructive_requires_name</c>): wildcards and <c>_all</c>
    /// are refused. Default true, Elasticsearch 8's default.
    /// </summary>
    public bool DestructiveRequiresName { get; init; } = true;

    /// <summary>
    /// How many bytes of not-yet-refreshed sources an index keeps for realtime get before it reopens its get reader
    /// early (search visibility is not affected). Default 32 MiB.
    /// </summary>
    internal long PendingSourceLimitBytes { get; init; } = 32L << 20;
}
