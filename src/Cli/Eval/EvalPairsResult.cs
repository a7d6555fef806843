using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>What <c>eval pairs</c> measured on one pair file (docs/training.md, "Pair-set evaluation").</summary>
internal sealed record EvalPairsResult
{
    public required string DataPath { get; init; }

    public required string ModelId { get; init; }

    public required StudentBranch Branch { get; init; }

    /// <summary>Pairs read from the file.</summary>
    public required int Pairs { get; init; }

    /// <summary>Binary metrics, when the file has labels.</summary>
    public EvalPairsClassification? Classification { get; init; }

    /// <summary>Correlations with the graded scores, when the file has scores.</summary>
    public EvalPairsGraded? Graded { get; init; }

    public required TimeSpan EncodeTime { get; init; }

    public required TimeSpan ScoreTime { get; init; }
}
