namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// One index's reranking configuration, read from its mapping's <c>_meta.rerank</c> (Elasticsearch rejects unknown
/// index settings, so the mapping's free-form <c>_meta</c> carries it). Schema version <see cref="CurrentVersion"/>;
/// the JSON shape, defaults and bounds are in docs/index-config.md. Read with <see cref="RerankIndexConfigReader"/>.
/// </summary>
public sealed record RerankIndexConfig
{
    /// <summary>The schema version this build reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The key under the mapping's <c>_meta</c>.</summary>
    public const string MetaKey = "rerank";

    public const string DefaultSeparator = " ";
    public const int DefaultWindow = 100;
    public const int MaxWindow = 1000;
    public const ProjectionEncoding DefaultProjectionEncoding = ProjectionEncoding.Float16;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>False keeps the config but makes the sidecar treat the index like any other (pass-through).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The model bundle's id (its content hash, <c>manifest.json</c> <c>modelId</c>).</summary>
    public required string ModelId { get; init; }

    /// <summary>The source fields whose values, joined by <see cref="Separator"/>, are the passage text (dotted paths).</summary>
    public required IReadOnlyList<string> TextFields { get; init; }

    public string Separator { get; init; } = DefaultSeparator;

    public ProjectionEncoding ProjectionEncoding { get; init; } = DefaultProjectionEncoding;

    public RerankStoredFields Fields { get; init; } = new();

    /// <summary>First-stage candidates reranked per search (1 to <see cref="MaxWindow"/>).</summary>
    public int Window { get; init; } = DefaultWindow;
}
