namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// A calibrated fusion: which features it uses (indices into the full feature row, and their names), the logistic fit
/// (bias first), and its held-out nDCG@10.
/// </summary>
internal sealed record FusionChoice(IReadOnlyList<int> Features, IReadOnlyList<string> Names, IReadOnlyList<double> Theta, double DevNdcg)
{
    /// <summary>The teacher logit of a full feature row.</summary>
    public double Logit(IReadOnlyList<double> row) => LogisticFit.Logit(Theta, [.. Features.Select(i => row[i])]);

    public string Describe() => $"{string.Join(" + ", Names)} (logistic, dev nDCG@10 {DevNdcg:F4})";
}
