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

    /// <summary>The largest window any config or request may ask for.</summary>
    public const int WindowLimit = 1000;
    public const int DefaultBudgetMilliseconds = 200;
    public const int BudgetLimitMilliseconds = 60_000;
    // Fusion with the first stage, the model weighted as chosen on a dev slice of the starter model's training data
    // (docs/search.md, "Which score mode is the default"): every score mode was measured with the trained starter.
    public const ScoreMode DefaultScoreMode = ScoreMode.Linear;
    public const double DefaultLinearWeight = 0.5;
    public const int DefaultRrfK = 60;
    public const double DefaultMaxMissingFraction = 0.5;
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

    /// <summary>The largest window a request's <c>ext.rerank.window</c> may ask for (<see cref="Window"/> to <see cref="WindowLimit"/>).</summary>
    public int MaxWindow { get; init; } = WindowLimit;

    /// <summary>Time allowed to the rerank stage of a search (query encoding and scoring); over it the first stage answers.</summary>
    public int BudgetMilliseconds { get; init; } = DefaultBudgetMilliseconds;

    /// <summary>How a reranked hit's score is made.</summary>
    public ScoreMode ScoreMode { get; init; } = DefaultScoreMode;

    /// <summary>The model's weight in <see cref="ScoreMode.Linear"/> (0 to 1; the first stage gets the rest).</summary>
    public double LinearWeight { get; init; } = DefaultLinearWeight;

    /// <summary>The rank constant k of <see cref="ScoreMode.Rrf"/> (1 or more).</summary>
    public int RrfK { get; init; } = DefaultRrfK;

    /// <summary>Above this fraction of window candidates without usable vectors the search falls back to the first stage.</summary>
    public double MaxMissingFraction { get; init; } = DefaultMaxMissingFraction;
}
