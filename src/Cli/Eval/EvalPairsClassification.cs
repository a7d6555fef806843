namespace Rerank.Cli.Eval;

/// <summary>
/// Binary metrics of the labelled pairs: entailment positive, contradiction negative, neutral excluded or negative.
/// Accuracy and threshold come from <c>PairMetrics.BestAccuracy</c>; NaN where no pair was counted (AP also where
/// none is positive).
/// </summary>
internal sealed record EvalPairsClassification(
    string NeutralRule, int Positive, int Negative, int NeutralExcluded, double Accuracy, double Threshold, double AveragePrecision);
