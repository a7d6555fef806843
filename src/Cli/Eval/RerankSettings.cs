using Rerank.IngestPipeline.Contracts;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>How <c>eval rerank</c> reranks a window offline; the defaults are those of an index's <c>_meta.rerank</c>.</summary>
internal sealed record RerankSettings
{
    /// <summary>First-stage candidates reranked per query.</summary>
    public int Window { get; init; } = RerankIndexConfig.DefaultWindow;

    /// <summary>The BEIR fields whose values, joined by <see cref="Separator"/>, are the passage text.</summary>
    public IReadOnlyList<string> TextFields { get; init; } = ["title", "text"];

    public string Separator { get; init; } = RerankIndexConfig.DefaultSeparator;

    /// <summary>How projections are stored (and so rounded) before scoring, as in the sidecar's index.</summary>
    public ProjectionEncoding ProjectionEncoding { get; init; } = RerankIndexConfig.DefaultProjectionEncoding;

    public StudentBranch Branch { get; init; } = StudentBranch.Asymmetric;

    public ScoreMode ScoreMode { get; init; } = RerankIndexConfig.DefaultScoreMode;

    public double LinearWeight { get; init; } = RerankIndexConfig.DefaultLinearWeight;

    public int RrfK { get; init; } = RerankIndexConfig.DefaultRrfK;
}
