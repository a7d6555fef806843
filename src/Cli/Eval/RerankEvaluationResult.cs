using Rerank.LuceneBaseline.Evaluation;
using Rerank.LuceneBaseline.Search;
using Rerank.Model.Pretrained;

namespace Rerank.Cli.Eval;

/// <summary>What <c>eval rerank</c> measured: the first stage (<c>bm25</c>) and the reranked windows (<c>rerank</c>) on the same queries.</summary>
internal sealed record RerankEvaluationResult
{
    /// <summary>The collection's folder name.</summary>
    public required string Dataset { get; init; }

    public required string Split { get; init; }

    public required RerankSettings Settings { get; init; }

    /// <summary>The bundle's model id (offline), or the one the sidecar named in <c>X-Rerank-Model</c>.</summary>
    public required string? ModelId { get; init; }

    /// <summary>Where the first stage came from: <c>bm25</c>, <c>candidates</c> or <c>sidecar</c>.</summary>
    public required string FirstStage { get; init; }

    /// <summary>The run file of <c>--candidates</c>, the sidecar's URL and index; null for BM25.</summary>
    public string? FirstStageDetail { get; init; }

    public required EvaluationReport Bm25 { get; init; }

    public required EvaluationReport Rerank { get; init; }

    /// <summary>The first stage's windows, best first, with its scores.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> FirstStageRun { get; init; }

    /// <summary>The reranked windows, in reranked order, with the scores of the score mode.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> RerankRun { get; init; }

    /// <summary>Queries sent (every query of the split).</summary>
    public required int QueriesSearched { get; init; }

    /// <summary>Passages encoded offline (the distinct documents of all windows); 0 through a sidecar.</summary>
    public int PassagesEncoded { get; init; }

    public TimeSpan FirstStageTime { get; init; }

    public TimeSpan EncodeTime { get; init; }

    public TimeSpan ScoreTime { get; init; }

    /// <summary>With <c>--baseline cosine</c>: the checkpoint and how it encodes; null for the student and the sidecar.</summary>
    public BiEncoderCheckpoint? Baseline { get; init; }

    /// <summary>Through a sidecar: the reranked answers by <c>X-Rerank</c> value, and the queries whose answer was not <c>applied</c>.</summary>
    public SidecarOutcomes? Sidecar { get; init; }
}
