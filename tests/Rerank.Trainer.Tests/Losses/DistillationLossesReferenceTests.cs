using Rerank.Trainer.Losses;
using TorchSharp;
using static Rerank.Trainer.Tests.Losses.LossTensors;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Losses;

/// <summary>Each term on random small tensors (bs 4, K 3), float64 and float32, against <see cref="LossReference"/>.</summary>
public sealed class DistillationLossesReferenceTests
{
    private const int Bs = 4;
    private const int K = 3;

    public static TheoryData<int, bool> Seeds => new() { { 1, false }, { 2, false }, { 3, true }, { 4, true } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryTerm_RandomInputs_MatchesThePlainReference(int seed, bool float32)
    {
        using var scope = NewDisposeScope();
        var random = new Random(seed);
        var zPos = RandomVector(random, Bs, -3, 3);
        var zHard = RandomMatrix(random, Bs, K, -3, 3);
        var zIn = RandomMatrix(random, Bs, Bs, -3, 3);
        var pPos = RandomVector(random, Bs, 0, 1);
        var pHard = RandomMatrix(random, Bs, K, 0, 1);
        var pIn = RandomMatrix(random, Bs, Bs, 0, 1);
        var student = RandomCube(random, Bs, K + 1, 5);
        var teacher = RandomCube(random, Bs, K + 1, 7);
        var dtype = float32 ? ScalarType.Float32 : ScalarType.Float64;
        Tensor T(Tensor t) => t.to_type(dtype);

        var tolerance = float32 ? 1e-4 : 1e-5;
        Assert.Equal(LossReference.InBatch(zIn), DistillationLosses.InBatchInfoNce(T(Matrix(zIn))).ToDouble(), tolerance);
        Assert.Equal(
            LossReference.Ci(zPos, zHard, pPos, pHard, plain: false),
            DistillationLosses.ContrastiveImitation(T(Vector(zPos)), T(Matrix(zHard)), T(Vector(pPos)), T(Matrix(pHard))).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.Ci(zPos, zHard, pPos, pHard, plain: true),
            DistillationLosses.ContrastiveImitation(T(Vector(zPos)), T(Matrix(zHard)), T(Vector(pPos)), T(Matrix(pHard)), CiMode.PlainContrastive).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.Ci(zPos, zHard, pPos, pHard, plain: false, zIn, pIn),
            DistillationLosses.ContrastiveImitation(T(Vector(zPos)), T(Matrix(zHard)), T(Vector(pPos)), T(Matrix(pHard)), CiMode.TeacherWeighted, T(Matrix(zIn)), T(Matrix(pIn))).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.RiPh(zPos, zHard, pPos, pHard),
            DistillationLosses.RankImitationPositiveHard(T(Vector(zPos)), T(Matrix(zHard)), T(Vector(pPos)), T(Matrix(pHard))).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.RiHi(zHard, zIn, pHard, pIn, paperRank: false, scale: 1.0),
            DistillationLosses.RankImitationHardEasy(T(Matrix(zHard)), T(Matrix(zIn)), T(Matrix(pHard)), T(Matrix(pIn))).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.RiHi(zHard, zIn, pHard, pIn, paperRank: false, scale: 3.0),
            DistillationLosses.RankImitationHardEasy(T(Matrix(zHard)), T(Matrix(zIn)), T(Matrix(pHard)), T(Matrix(pIn)), RiHiLambda.ClippedProbabilityDifference, 3.0).ToDouble(),
            tolerance);
        Assert.Equal(
            LossReference.RiHi(zHard, zIn, pHard, pIn, paperRank: true, scale: 1.0),
            DistillationLosses.RankImitationHardEasy(T(Matrix(zHard)), T(Matrix(zIn)), T(Matrix(pHard)), T(Matrix(pIn)), RiHiLambda.PaperRank).ToDouble(),
            tolerance);
        Assert.Equal(LossReference.Fi(student, teacher), DistillationLosses.FeatureImitation(T(Cube(student)), T(Cube(teacher))).ToDouble(), tolerance);
    }

    [Fact]
    public void RankImitationHardEasy_PaperRankWithTiedTeacherProbabilities_RanksTiesInInputOrder()
    {
        using var scope = NewDisposeScope();

        // Probabilities on a 0.25 grid, so ties between hard and easy negatives are common.
        var random = new Random(11);
        var zHard = RandomMatrix(random, Bs, K, -3, 3);
        var zIn = RandomMatrix(random, Bs, Bs, -3, 3);
        var pHard = new double[Bs, K];
        var pIn = new double[Bs, Bs];
        for (var i = 0; i < Bs; i++)
        {
            for (var j = 0; j < K; j++)
            {
                pHard[i, j] = random.Next(0, 3) * 0.25;
            }

            for (var j = 0; j < Bs; j++)
            {
                pIn[i, j] = random.Next(0, 3) * 0.25;
            }
        }

        var loss = DistillationLosses.RankImitationHardEasy(Matrix(zHard), Matrix(zIn), Matrix(pHard), Matrix(pIn), RiHiLambda.PaperRank);

        Assert.Equal(LossReference.RiHi(zHard, zIn, pHard, pIn, paperRank: true, scale: 1.0), loss.ToDouble(), 1e-5);
    }
}
