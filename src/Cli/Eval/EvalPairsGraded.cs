namespace Rerank.Cli.Eval;

/// <summary>Spearman and Pearson of the model's logits against the graded scores; NaN where undefined (under two pairs, no spread).</summary>
internal sealed record EvalPairsGraded(int Pairs, double Spearman, double Pearson);
