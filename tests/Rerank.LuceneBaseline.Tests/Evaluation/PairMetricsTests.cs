using Rerank.LuceneBaseline.Evaluation;

namespace Rerank.LuceneBaseline.Tests.Evaluation;

public sealed class PairMetricsTests
{
    // Six pairs, no ties; by descending score the labels run P N P P N N.
    private static readonly double[] DistinctScores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];

    private static readonly bool[] DistinctLabels = [true, false, true, true, false, false];

    // Five pairs with three tied at 0.7 (one positive, two negatives): P {P N N} P.
    private static readonly double[] TiedScores = [0.9, 0.7, 0.7, 0.7, 0.2];

    private static readonly bool[] TiedLabels = [true, true, false, false, true];

    [Fact]
    public void BestAccuracy_DistinctScores_CutsBetweenFourthAndFifth()
    {
        // Positives predicted above each cut: 0 -> 3/6, 1 -> 4/6, 2 -> 3/6, 3 -> 4/6, 4 -> 5/6, 5 -> 4/6, 6 -> 3/6.
        var (accuracy, threshold) = PairMetrics.BestAccuracy(DistinctScores, DistinctLabels);

        Assert.Equal(5.0 / 6, accuracy, 12);
        Assert.Equal((0.6 + 0.5) / 2, threshold, 12);
    }

    [Fact]
    public void BestAccuracy_TiedScores_NeverSplitsATie()
    {
        // Cuts: none -> 2/5; after 0.9 -> 3/5; after the 0.7 group -> 2/5; all -> 3/5 (not better). Splitting the tie
        // after its positive would give 4/5, which no threshold achieves.
        var (accuracy, threshold) = PairMetrics.BestAccuracy(TiedScores, TiedLabels);

        Assert.Equal(3.0 / 5, accuracy, 12);
        Assert.Equal((0.9 + 0.7) / 2, threshold, 12);
    }

    [Fact]
    public void BestAccuracy_TiedScoresInAnotherOrder_SameResult()
    {
        int[] permutation = [3, 1, 4, 0, 2];

        var result = PairMetrics.BestAccuracy([.. permutation.Select(i => TiedScores[i])], [.. permutation.Select(i => TiedLabels[i])]);

        Assert.Equal((3.0 / 5, 0.8), (result.Accuracy, Math.Round(result.Threshold, 12)));
    }

    [Fact]
    public void BestAccuracy_AllScoresEqual_TakesTheMajorityRule()
    {
        // No threshold separates equal scores: "all negative" gives 1/3, "all positive" 2/3.
        var (accuracy, threshold) = PairMetrics.BestAccuracy([0.5, 0.5, 0.5], [true, false, true]);

        Assert.Equal(2.0 / 3, accuracy, 12);
        Assert.Equal(double.NegativeInfinity, threshold);
    }

    [Fact]
    public void BestAccuracy_OnlyNegatives_AllNegativeRuleIsExact()
    {
        var (accuracy, threshold) = PairMetrics.BestAccuracy([0.1, 0.2], [false, false]);

        Assert.Equal(1.0, accuracy);
        Assert.Equal(double.PositiveInfinity, threshold);
    }

    [Fact]
    public void AveragePrecision_DistinctScores_MeanOfPrecisionAtEachPositive()
    {
        // Positives at ranks 1, 3, 4: (1/1 + 2/3 + 3/4) / 3 = 29/36.
        Assert.Equal(29.0 / 36, PairMetrics.AveragePrecision(DistinctScores, DistinctLabels), 12);
    }

    [Fact]
    public void AveragePrecision_TiedScores_OneStepPerDistinctScore()
    {
        // Steps: 0.9 -> recall +1/3 at precision 1/1; 0.7 -> +1/3 at 2/4; 0.2 -> +1/3 at 3/5. Sum = 21/30
        // (scikit-learn's average_precision_score on the same input).
        Assert.Equal(21.0 / 30, PairMetrics.AveragePrecision(TiedScores, TiedLabels), 12);
    }

    [Fact]
    public void AveragePrecision_TiedPositiveListedFirstOrLast_SameResult()
    {
        var first = PairMetrics.AveragePrecision([0.5, 0.5, 0.1], [true, false, false]);
        var last = PairMetrics.AveragePrecision([0.5, 0.5, 0.1], [false, true, false]);

        // One step at 0.5: recall 1 at precision 1/2.
        Assert.Equal(0.5, first, 12);
        Assert.Equal(0.5, last, 12);
    }

    [Fact]
    public void AveragePrecision_NoPositive_IsNaN()
    {
        Assert.True(double.IsNaN(PairMetrics.AveragePrecision([0.3, 0.1], [false, false])));
    }

    [Fact]
    public void AveragePrecision_PerfectRanking_IsOne()
    {
        Assert.Equal(1.0, PairMetrics.AveragePrecision([3.0, 2.0, 1.0, 0.0], [true, true, false, false]), 12);
    }

    [Fact]
    public void BestAccuracy_LengthsDiffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => PairMetrics.BestAccuracy([0.1, 0.2], [true]));
        Assert.Throws<ArgumentException>(() => PairMetrics.AveragePrecision([], []));
        Assert.Throws<ArgumentException>(() => PairMetrics.AveragePrecision([double.NaN], [true]));
    }
}
