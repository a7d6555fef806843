using Rerank.Trainer.Training;

namespace Rerank.Trainer.Tests.Training;

public sealed class HeldOutEvaluationTests
{
    [Fact]
    public void Compute_TwoQueriesByHand_PoolsRanksSkipsConstantQueriesAndCountsTiesAgainstThePositive()
    {
        // Query 1: student [3, 1, 2], teacher [2, 0, 1]: the same order, rho 1; its positive is first, reciprocal rank 1.
        // Query 2: student [1, 1, 1] has no spread: no rho; the positive ties with both negatives, so it ranks 3rd (1/3).
        // Pooled: student ranks [6, 2.5, 5, 2.5, 2.5, 2.5], teacher ranks [5.5, 1.5, 3.5, 1.5, 3.5, 5.5];
        // centred cross products sum to 7, squares to 12.5 and 16, so rho = 7 / sqrt(200).
        var metrics = HeldOutEvaluation.Compute(40, [[3, 1, 2], [1, 1, 1]], [[2, 0, 1], [0, 1, 2]]);

        Assert.Equal(40, metrics.Step);
        Assert.Equal(7 / Math.Sqrt(200), metrics.PooledSpearman, 1e-12);
        Assert.Equal(1.0, metrics.MeanQuerySpearman, 1e-12);
        Assert.Equal((1 + (1.0 / 3)) / 2, metrics.Mrr, 1e-12);
        Assert.Equal(6, metrics.Pairs);
        Assert.Equal(2, metrics.Queries);
    }

    [Fact]
    public void Improves_NaNAndTies_OnlyAStrictlyBetterNumberImproves()
    {
        Assert.True(HeldOutMetrics.Improves(0.1, double.NaN));
        Assert.False(HeldOutMetrics.Improves(double.NaN, 0.1));
        Assert.False(HeldOutMetrics.Improves(0.5, 0.5));
        Assert.True(HeldOutMetrics.Improves(0.5000001, 0.5));
    }

    [Fact]
    public void ToJsonThenFromJson_WithNaN_RoundTripsNaNAsNull()
    {
        var metrics = new HeldOutMetrics(7, double.NaN, 0.25, 0.5, 12, 3);

        var json = metrics.ToJson();

        Assert.Null(json["pooled_spearman"]);
        Assert.Equal(metrics, HeldOutMetrics.FromJson(json));
    }
}
