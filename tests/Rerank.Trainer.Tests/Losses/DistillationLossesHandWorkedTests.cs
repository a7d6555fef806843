using Rerank.Trainer.Losses;
using TorchSharp;
using static Rerank.Trainer.Tests.Losses.LossTensors;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Losses;

/// <summary>Each term on 2 queries with K = 2, against values worked out by hand in the comments.</summary>
public sealed class DistillationLossesHandWorkedTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void InBatchInfoNce_TwoQueries_IsMeanCrossEntropyOverBsSquared()
    {
        using var scope = NewDisposeScope();

        // Row 0 [ln 3, 0]: -log(3 / (3 + 1)) = ln(4/3). Row 1 [0, 0]: -log(1/2) = ln 2. Sum / bs^2 = ln(8/3) / 4.
        var loss = DistillationLosses.InBatchInfoNce(Matrix(new[,] { { Math.Log(3), 0.0 }, { 0.0, 0.0 } }));

        Assert.Equal(Math.Log(8.0 / 3.0) / 4.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void ContrastiveImitation_TeacherWeighted_ScalesPositiveByPAndNegativesByOneMinusP()
    {
        using var scope = NewDisposeScope();

        // Query 0: z = [2 | 2, 5], w = [0.5 | 1 - 0.5, 1 - 1] -> [1, 1, 0]: -log(e / (2e + 1)) = ln(2 + 1/e).
        // Query 1: z = [0 | 0, 0], any w -> [0, 0, 0]: ln 3. Sum / (bs * K) = (ln(2 + 1/e) + ln 3) / 4.
        var loss = DistillationLosses.ContrastiveImitation(
            Vector(2, 0), Matrix(new[,] { { 2.0, 5.0 }, { 0.0, 0.0 } }), Vector(0.5, 1.0), Matrix(new[,] { { 0.5, 1.0 }, { 0.0, 0.0 } }));

        Assert.Equal((Math.Log(2 + Math.Exp(-1)) + Math.Log(3)) / 4.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void ContrastiveImitation_PlainContrastive_IgnoresTheTeacher()
    {
        using var scope = NewDisposeScope();

        // Query 0: [2, 2, 5]: -log(e^2 / (2 e^2 + e^5)) = ln(2 + e^3). Query 1: ln 3. Sum / 4.
        var loss = DistillationLosses.ContrastiveImitation(
            Vector(2, 0), Matrix(new[,] { { 2.0, 5.0 }, { 0.0, 0.0 } }), Vector(0.5, 1.0), Matrix(new[,] { { 0.5, 1.0 }, { 0.0, 0.0 } }), CiMode.PlainContrastive);

        Assert.Equal((Math.Log(2 + Math.Exp(3)) + Math.Log(3)) / 4.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void ContrastiveImitation_WithInBatchNegatives_AddsEasyNegativesWeightedOneMinusP()
    {
        using var scope = NewDisposeScope();

        // The teacher-weighted example plus the easy negatives Z_in[0, 1] = 1 (p 0) and Z_in[1, 0] = ln 2 (p 0), weight 1:
        // Query 0: [1, 1, 0, 1]: -log(e / (3e + 1)) = ln(3 + 1/e). Query 1: [0, 0, 0, ln 2]: -log(1 / 5) = ln 5.
        // Sum / (bs * (K + bs - 1)) = (ln(3 + 1/e) + ln 5) / 6. The diagonal (9, p 0.7) is not read.
        var loss = DistillationLosses.ContrastiveImitation(
            Vector(2, 0),
            Matrix(new[,] { { 2.0, 5.0 }, { 0.0, 0.0 } }),
            Vector(0.5, 1.0),
            Matrix(new[,] { { 0.5, 1.0 }, { 0.0, 0.0 } }),
            CiMode.TeacherWeighted,
            Matrix(new[,] { { 9.0, 1.0 }, { Math.Log(2), 9.0 } }),
            Matrix(new[,] { { 0.7, 0.0 }, { 0.0, 0.7 } }));

        Assert.Equal((Math.Log(3 + Math.Exp(-1)) + Math.Log(5)) / 6.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void RankImitationPositiveHard_TwoQueries_IsOneMinusPearsonOfLogitsAndProbabilities()
    {
        using var scope = NewDisposeScope();

        // Query 0: x = [1, 2, 3], y = [0.9, 0.5, 0.1]: exactly anti-correlated, r = -1, loss 2.
        // Query 1: x = [0, 1, 5] (mean 2, centred [-2, -1, 3], std sqrt(14/2) = sqrt 7),
        //          y = [0.2, 0.2, 0.8] (mean 0.4, centred [-0.2, -0.2, 0.4], std sqrt(0.24/2) = sqrt 0.12);
        //          cov = (0.4 + 0.2 + 1.2) / 2 = 0.9, r = 0.9 / sqrt(0.84), loss 1 - r.
        // (The +1e-8 in the denominator moves r by ~1e-8.) Sum / bs.
        var loss = DistillationLosses.RankImitationPositiveHard(
            Vector(1, 0), Matrix(new[,] { { 2.0, 3.0 }, { 1.0, 5.0 } }), Vector(0.9, 0.2), Matrix(new[,] { { 0.5, 0.1 }, { 0.2, 0.8 } }));

        Assert.Equal((2.0 + 1.0 - (0.9 / Math.Sqrt(0.84))) / 2.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void RankImitationHardEasy_ClippedProbabilityDifference_WeighsPairsByTheTeachersMargin()
    {
        using var scope = NewDisposeScope();
        var (studentHard, studentInBatch, teacherHard, teacherInBatch) = HardEasyExample();

        // Query 0: hard z [2, 0], its one easy negative is Z_in[0, 1] = 0 -> differences [2, 0];
        //          lambda = max(p_hard - p_easy, 0) = [0.9 - 0.1, 0.3 - 0.1] = [0.8, 0.2];
        //          -log sigmoid(2) = ln(1 + e^-2), -log sigmoid(0) = ln 2.
        // Query 1: hard z [1, -1], easy Z_in[1, 0] = 1 -> differences [0, -2]; lambda = [max(0.2 - 0.4, 0), 0.6 - 0.4] = [0, 0.2];
        //          -log sigmoid(-2) = ln(1 + e^2).
        // Sum / (bs * K * (bs - 1)) = (0.8 ln(1 + e^-2) + 0.2 ln 2 + 0.2 ln(1 + e^2)) / 4 (the +1e-8 moves it by ~1e-8).
        var loss = DistillationLosses.RankImitationHardEasy(studentHard, studentInBatch, teacherHard, teacherInBatch);

        var expected = ((0.8 * Math.Log(1 + Math.Exp(-2))) + (0.2 * Math.Log(2)) + (0.2 * Math.Log(1 + Math.Exp(2)))) / 4.0;
        Assert.Equal(expected, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void RankImitationHardEasy_ScaleParam_DividesTheClippedWeight()
    {
        using var scope = NewDisposeScope();
        var (studentHard, studentInBatch, teacherHard, teacherInBatch) = HardEasyExample();

        // The previous example's lambdas halved.
        var loss = DistillationLosses.RankImitationHardEasy(studentHard, studentInBatch, teacherHard, teacherInBatch, RiHiLambda.ClippedProbabilityDifference, scale: 2.0);

        var expected = ((0.4 * Math.Log(1 + Math.Exp(-2))) + (0.1 * Math.Log(2)) + (0.1 * Math.Log(1 + Math.Exp(2)))) / 4.0;
        Assert.Equal(expected, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void RankImitationHardEasy_PaperRank_WeighsPairsByReciprocalRankDifference()
    {
        using var scope = NewDisposeScope();
        var (studentHard, studentInBatch, teacherHard, teacherInBatch) = HardEasyExample();

        // Query 0: teacher p hard [0.9, 0.3], easy [0.1] -> ranks 1, 2, 3; lambda = [1 - 1/3, 1/2 - 1/3] = [2/3, 1/6].
        // Query 1: hard [0.2, 0.6], easy [0.4] -> ranks 3, 1, 2; lambda = [max(1/3 - 1/2, 0), 1 - 1/2] = [0, 1/2].
        var loss = DistillationLosses.RankImitationHardEasy(studentHard, studentInBatch, teacherHard, teacherInBatch, RiHiLambda.PaperRank);

        var expected = ((2.0 / 3.0 * Math.Log(1 + Math.Exp(-2))) + (1.0 / 6.0 * Math.Log(2)) + (0.5 * Math.Log(1 + Math.Exp(2)))) / 4.0;
        Assert.Equal(expected, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void FeatureImitation_TwoQueries_IsSquaredFrobeniusOfCosineMatricesOverOnePlusKSquared()
    {
        using var scope = NewDisposeScope();

        // Query 0: teacher [1,0], [0,1], [1,0] -> C^T = [[1,0,1],[0,1,0],[1,0,1]];
        //          student [1,0], [1,0], [0,2] -> unit [1,0], [1,0], [0,1] -> C^S = [[1,1,0],[1,1,0],[0,0,1]];
        //          C^T - C^S = [[0,-1,1],[-1,0,0],[1,0,0]]: squared sum 4.
        // Query 1: teacher [1,0], [1,1], [3,0] -> C^T = [[1,s,1],[s,1,s],[1,s,1]] with s = 1/sqrt 2;
        //          student [0,1], [1,1], [1,0] -> C^S = [[1,s,0],[s,1,s],[0,s,1]]; C^T - C^S has two 1s: squared sum 2.
        // Sum over the batch / (1 + K)^2 = 6 / 9.
        var student = Cube(new double[,,] { { { 1, 0 }, { 1, 0 }, { 0, 2 } }, { { 0, 1 }, { 1, 1 }, { 1, 0 } } });
        var teacher = Cube(new double[,,] { { { 1, 0 }, { 0, 1 }, { 1, 0 } }, { { 1, 0 }, { 1, 1 }, { 3, 0 } } });

        var loss = DistillationLosses.FeatureImitation(student, teacher);

        Assert.Equal(6.0 / 9.0, loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void FeatureImitation_TeacherWiderThanStudent_ComparesCosinesOnly()
    {
        using var scope = NewDisposeScope();

        // Teacher d = 3, student d = 2, the same angles (cosines [[1,0],[0,1]] for both): loss 0, also for 1 + K = 2.
        var student = Cube(new double[,,] { { { 2, 0 }, { 0, 3 } }, { { 1, 1 }, { -1, 1 } } });
        var teacher = Cube(new double[,,] { { { 0, 0, 5 }, { 1, 0, 0 } }, { { 0, 4, 0 }, { 0, 0, 1 } } });

        Assert.Equal(0.0, DistillationLosses.FeatureImitation(student, teacher).ToDouble(), Tolerance);
    }

    [Fact]
    public void YesProbability_IsSoftmaxOfYesAndNo()
    {
        using var scope = NewDisposeScope();

        // softmax([ln 3, 0])[0] = 3 / 4; softmax([0, 0])[0] = 1/2.
        var probability = DistillationLosses.YesProbability(Matrix(new[,] { { Math.Log(3), 0.0 }, { 0.0, 0.0 } }));

        Assert.Equal([0.75, 0.5], probability.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < Tolerance);
    }

    [Fact]
    public void RankImitationHardEasy_BatchOfOne_IsRefusedByName()
    {
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => DistillationLosses.RankImitationHardEasy(
            Matrix(new[,] { { 1.0, 2.0 } }), Matrix(new[,] { { 1.0 } }), Matrix(new[,] { { 0.5, 0.5 } }), Matrix(new[,] { { 0.5 } })));

        Assert.Equal("studentInBatch must be [bs, bs] with bs >= 2; got [1, 1]. (Parameter 'studentInBatch')", error.Message);
    }

    /// <summary>Z_h hard [[2, 0], [1, -1]], Z_in [[9, 0], [1, 9]] (diagonal unused), p hard [[0.9, 0.3], [0.2, 0.6]], p in [[1, 0.1], [0.4, 1]].</summary>
    private static (Tensor StudentHard, Tensor StudentInBatch, Tensor TeacherHard, Tensor TeacherInBatch) HardEasyExample() => (
        Matrix(new[,] { { 2.0, 0.0 }, { 1.0, -1.0 } }),
        Matrix(new[,] { { 9.0, 0.0 }, { 1.0, 9.0 } }),
        Matrix(new[,] { { 0.9, 0.3 }, { 0.2, 0.6 } }),
        Matrix(new[,] { { 1.0, 0.1 }, { 0.4, 1.0 } }));
}
