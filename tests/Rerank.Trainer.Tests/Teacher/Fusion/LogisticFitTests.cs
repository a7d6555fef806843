using Rerank.Trainer.Teacher.Fusion;

namespace Rerank.Trainer.Tests.Teacher.Fusion;

public sealed class LogisticFitTests
{
    [Fact]
    public void Fit_OneBinaryFeature_IsTheLogOddsOfEachGroup()
    {
        // x = 0: 1 relevant of 4 (odds 1/3); x = 1: 3 relevant of 4 (odds 3). Without a ridge the maximum-likelihood fit is
        // b = ln(1/3) and b + w = ln 3, so w = 2 ln 3.
        double[][] x = [[0], [0], [0], [0], [1], [1], [1], [1]];
        bool[] y = [true, false, false, false, true, true, true, false];

        var theta = LogisticFit.Fit(x, y, ridge: 0);

        Assert.Equal(-Math.Log(3), theta[0], 1e-9);
        Assert.Equal(2 * Math.Log(3), theta[1], 1e-9);
    }

    [Fact]
    public void Fit_TwoFeaturesOneIrrelevant_GivesItNoWeight()
    {
        // The first feature sets the odds (x1 = 0: 1 relevant of 4, x1 = 1: 3 of 4) at both values of the second, so the
        // MLE is b = ln(1/3), w1 = 2 ln 3, w2 = 0.
        var x = new List<double[]>();
        var y = new List<bool>();
        foreach (var x1 in (double[])[0, 1])
        {
            foreach (var x2 in (double[])[0, 1])
            {
                for (var i = 0; i < 4; i++)
                {
                    x.Add([x1, x2]);
                    y.Add(x1 == 0 ? i == 0 : i != 0);
                }
            }
        }

        var theta = LogisticFit.Fit(x, y, ridge: 0);

        Assert.Equal(-Math.Log(3), theta[0], 1e-9);
        Assert.Equal(2 * Math.Log(3), theta[1], 1e-9);
        Assert.Equal(0, theta[2], 1e-9);
    }

    [Fact]
    public void Fit_SeparableWithRidge_StaysFiniteAndOrdersTheClasses()
    {
        double[][] x = [[0.1], [0.2], [0.3], [0.7], [0.8], [0.9]];
        bool[] y = [false, false, false, true, true, true];

        var theta = LogisticFit.Fit(x, y);

        Assert.True(double.IsFinite(theta[0]) && double.IsFinite(theta[1]));
        Assert.True(LogisticFit.Logit(theta, [0.3]) < 0 && LogisticFit.Logit(theta, [0.7]) > 0);
    }

    [Fact]
    public void Fit_OneClass_IsRefused()
    {
        var exception = Assert.Throws<ArgumentException>(() => LogisticFit.Fit([[1.0], [2.0]], [true, true]));

        Assert.Contains("Both relevant and non-relevant", exception.Message, StringComparison.Ordinal);
    }
}
