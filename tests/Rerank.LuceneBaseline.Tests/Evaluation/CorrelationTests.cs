using Rerank.LuceneBaseline.Evaluation;

namespace Rerank.LuceneBaseline.Tests.Evaluation;

public sealed class CorrelationTests
{
    [Fact]
    public void Pearson_ScipyDocumentedExample_EqualsHandComputation()
    {
        // scipy.stats.pearsonr's documented example: statistic -0.828503883588428. By hand: mean x = 4, so
        // cov = sum(dx * y) = -30 - 18 - 2.5 + 0 + 4 + 6 + 6 = -34.5; var x = 28; var y = 252.25 - 36.5^2 / 7.
        double[] x = [1, 2, 3, 4, 5, 6, 7];
        double[] y = [10, 9, 2.5, 6, 4, 3, 2];
        var expected = -34.5 / Math.Sqrt(28 * (252.25 - (36.5 * 36.5 / 7)));

        var r = Correlation.Pearson(x, y);

        Assert.Equal(expected, r, 12);
        Assert.Equal(-0.828503883588428, r, 12);
    }

    [Fact]
    public void Spearman_ScipyDocumentedExampleWithTie_UsesAverageRanks()
    {
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]): statistic 0.8207826816681233. The two 7s share rank
        // 3.5, so y's ranks are 1, 2, 3.5, 5, 3.5: cov = 4 + 1 + 0 + 2 + 1 = 8, var x = 10, var y = 9.5.
        var rho = Correlation.Spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);

        Assert.Equal(8 / Math.Sqrt(10 * 9.5), rho, 12);
        Assert.Equal(0.8207826816681233, rho, 12);
    }

    [Fact]
    public void Ranks_Ties_ShareTheMeanOfTheirPositions()
    {
        // Sorted: 1 (rank 1), 2 2 2 (ranks 2, 3, 4 -> 3), 5 (rank 5), 7 7 (ranks 6, 7 -> 6.5).
        Assert.Equal([3, 1, 6.5, 3, 5, 3, 6.5], Correlation.Ranks([2, 1, 7, 2, 5, 2, 7]));
    }

    [Fact]
    public void Spearman_MonotoneButNotLinear_IsOneWherePearsonIsNot()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [1, 4, 9, 100];

        Assert.Equal(1.0, Correlation.Spearman(x, y), 12);
        Assert.True(Correlation.Pearson(x, y) < 0.9);
    }

    [Fact]
    public void Pearson_ConstantSeries_IsNaN()
    {
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(Correlation.Spearman([1, 2, 3], [4, 4, 4])));
    }

    [Fact]
    public void Pearson_BadLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Correlation.Spearman([1], [1]));
    }
}
