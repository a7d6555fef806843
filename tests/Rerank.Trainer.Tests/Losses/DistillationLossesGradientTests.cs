using Rerank.Trainer.Losses;
using TorchSharp;
using static Rerank.Trainer.Tests.Losses.LossTensors;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Losses;

/// <summary>
/// Autograd gradients of each term (float64) w.r.t. the student inputs against central differences of the same term,
/// and the teacher inputs get no gradient.
/// </summary>
public sealed class DistillationLossesGradientTests
{
    private const int Bs = 3;
    private const int K = 2;
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    private readonly Random _random = new(5);

    public static TheoryData<string> Terms => ["inbatch", "ci", "ci-plain", "ci-inbatch", "ri_ph", "ri_hi", "ri_hi-paper", "fi"];

    [Theory]
    [MemberData(nameof(Terms))]
    public void Term_StudentInputs_AutogradMatchesCentralDifferences(string term)
    {
        using var scope = NewDisposeScope();
        var zPos = Vector(RandomVector(_random, Bs, -2, 2)).requires_grad_();
        var zHard = Matrix(RandomMatrix(_random, Bs, K, -2, 2)).requires_grad_();
        var zIn = Matrix(RandomMatrix(_random, Bs, Bs, -2, 2)).requires_grad_();
        var features = Cube(RandomCube(_random, Bs, K + 1, 4)).requires_grad_();
        var pPos = Vector(RandomVector(_random, Bs, 0, 1)).requires_grad_();
        var pHard = Matrix(RandomMatrix(_random, Bs, K, 0, 1)).requires_grad_();
        var pIn = Matrix(RandomMatrix(_random, Bs, Bs, 0, 1)).requires_grad_();
        var teacherFeatures = Cube(RandomCube(_random, Bs, K + 1, 6));

        Func<Tensor> loss = term switch
        {
            "inbatch" => () => DistillationLosses.InBatchInfoNce(zIn),
            "ci" => () => DistillationLosses.ContrastiveImitation(zPos, zHard, pPos, pHard),
            "ci-plain" => () => DistillationLosses.ContrastiveImitation(zPos, zHard, pPos, pHard, CiMode.PlainContrastive),
            "ci-inbatch" => () => DistillationLosses.ContrastiveImitation(zPos, zHard, pPos, pHard, CiMode.TeacherWeighted, zIn, pIn),
            "ri_ph" => () => DistillationLosses.RankImitationPositiveHard(zPos, zHard, pPos, pHard),
            "ri_hi" => () => DistillationLosses.RankImitationHardEasy(zHard, zIn, pHard, pIn),
            "ri_hi-paper" => () => DistillationLosses.RankImitationHardEasy(zHard, zIn, pHard, pIn, RiHiLambda.PaperRank),
            "fi" => () => DistillationLosses.FeatureImitation(features, teacherFeatures),
            _ => throw new ArgumentOutOfRangeException(nameof(term), term, null),
        };
        Tensor[] students = term switch
        {
            "inbatch" => [zIn],
            "ci" or "ci-plain" or "ri_ph" => [zPos, zHard],
            "ri_hi" or "ri_hi-paper" => [zHard, zIn],
            "ci-inbatch" => [zPos, zHard, zIn],
            _ => [features],
        };

        loss().backward();

        var checkedEntries = 0;
        foreach (var student in students)
        {
            var analytic = student.grad!.data<double>().ToArray();
            Assert.Contains(analytic, g => Math.Abs(g) > 1e-4);
            for (var index = 0; index < analytic.Length; index++)
            {
                var numeric = CentralDifference(student, index, loss);
                Assert.True(
                    Math.Abs(numeric - analytic[index]) <= Tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"{term}: d/d[{index}] autograd {analytic[index]} vs central difference {numeric}");
                checkedEntries++;
            }
        }

        Assert.True(checkedEntries >= Bs * K);

        // Teacher outputs are constants: no gradient flows into them.
        foreach (var teacher in new[] { pPos, pHard, pIn })
        {
            Assert.True(teacher.grad is null || teacher.grad.abs().max().ToDouble() == 0.0);
        }
    }

    private static double CentralDifference(Tensor input, int index, Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = input.view(-1);
        var original = flat[index].ToDouble();
        flat[index] = original + Step;
        var plus = loss().ToDouble();
        flat[index] = original - Step;
        var minus = loss().ToDouble();
        flat[index] = original;
        return (plus - minus) / (2 * Step);
    }
}
