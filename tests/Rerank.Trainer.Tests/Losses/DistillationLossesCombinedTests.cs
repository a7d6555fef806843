using Rerank.Trainer.Losses;
using TorchSharp;
using static Rerank.Trainer.Tests.Losses.LossTensors;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Losses;

/// <summary><see cref="DistillationLosses.Combined"/>: the default weights, switches, re-weighting and the log values.</summary>
public sealed class DistillationLossesCombinedTests
{
    private const int Bs = 3;
    private const int K = 2;
    private const double Tolerance = 1e-5;

    private readonly double[] _zPos;
    private readonly double[,] _zHard;
    private readonly double[,] _zIn;
    private readonly double[] _pPos;
    private readonly double[,] _pHard;
    private readonly double[,] _pIn;
    private readonly double[,,] _student;
    private readonly double[,,] _teacher;

    public DistillationLossesCombinedTests()
    {
        var random = new Random(21);
        _zPos = RandomVector(random, Bs, -3, 3);
        _zHard = RandomMatrix(random, Bs, K, -3, 3);
        _zIn = RandomMatrix(random, Bs, Bs, -3, 3);
        for (var i = 0; i < Bs; i++)
        {
            _zIn[i, i] = _zPos[i];
        }

        _pPos = RandomVector(random, Bs, 0, 1);
        _pHard = RandomMatrix(random, Bs, K, 0, 1);
        _pIn = RandomMatrix(random, Bs, Bs, 0, 1);
        _student = RandomCube(random, Bs, K + 1, 4);
        _teacher = RandomCube(random, Bs, K + 1, 5);
    }

    private double InBatch => LossReference.InBatch(_zIn);

    private double Ci => LossReference.Ci(_zPos, _zHard, _pPos, _pHard, plain: false);

    private double RiPh => LossReference.RiPh(_zPos, _zHard, _pPos, _pHard);

    private double RiHi => LossReference.RiHi(_zHard, _zIn, _pHard, _pIn, paperRank: false, scale: 1.0);

    private double Fi => LossReference.Fi(_student, _teacher);

    [Fact]
    public void Combined_Defaults_AreTheCodesWeightsOneOneOneHundredthThousandth()
    {
        using var scope = NewDisposeScope();

        var terms = DistillationLosses.Combined(Batch(), new DistillationLossOptions());

        Assert.Equal(InBatch, terms.InBatch!.ToDouble(), Tolerance);
        Assert.Equal(Ci, terms.Ci!.ToDouble(), Tolerance);
        Assert.Equal(RiPh, terms.RiPh!.ToDouble(), Tolerance);
        Assert.Equal(RiHi, terms.RiHi!.ToDouble(), Tolerance);
        Assert.Equal(Fi, terms.Fi!.ToDouble(), Tolerance);
        Assert.Equal(InBatch + Ci + RiPh + (0.01 * RiHi) + (0.001 * Fi), terms.Total.ToDouble(), Tolerance);
        Assert.Equal(["inbatch", "ci", "ri_ph", "ri_hi", "fi", "total"], terms.ToLogValues().Select(v => v.Key));
        Assert.Equal(terms.Total.ToDouble(), terms.ToLogValues()[^1].Value);
    }

    [Fact]
    public void Combined_EachTermSwitchedOff_DropsExactlyItsWeightedShareAndIsNull()
    {
        using var scope = NewDisposeScope();
        var full = InBatch + Ci + RiPh + (0.01 * RiHi) + (0.001 * Fi);
        var defaults = new DistillationLossOptions();

        var noInBatch = DistillationLosses.Combined(Batch(), defaults with { InBatchEnabled = false });
        var noCi = DistillationLosses.Combined(Batch(), defaults with { CiEnabled = false });
        var noRiPh = DistillationLosses.Combined(Batch(), defaults with { RiPhEnabled = false });
        var noRiHi = DistillationLosses.Combined(Batch(), defaults with { RiHiEnabled = false });
        var noFi = DistillationLosses.Combined(Batch(withFeatures: false), defaults with { FiEnabled = false });

        Assert.Equal(full - InBatch, noInBatch.Total.ToDouble(), Tolerance);
        Assert.Null(noInBatch.InBatch);
        Assert.Equal(full - Ci, noCi.Total.ToDouble(), Tolerance);
        Assert.Null(noCi.Ci);
        Assert.Equal(full - RiPh, noRiPh.Total.ToDouble(), Tolerance);
        Assert.Null(noRiPh.RiPh);
        Assert.Equal(full - (0.01 * RiHi), noRiHi.Total.ToDouble(), Tolerance);
        Assert.Null(noRiHi.RiHi);
        Assert.Equal(full - (0.001 * Fi), noFi.Total.ToDouble(), Tolerance);
        Assert.Null(noFi.Fi);
        Assert.Equal(["inbatch", "ci", "ri_ph", "ri_hi", "total"], noFi.ToLogValues().Select(v => v.Key));
    }

    [Fact]
    public void Combined_Reweighted_TotalIsTheWeightedSumAndTermsStayUnweighted()
    {
        using var scope = NewDisposeScope();
        var options = new DistillationLossOptions { InBatchWeight = 0.5, CiWeight = 2, RiPhWeight = 0, RiHiWeight = 3, FiWeight = 0.25 };

        var terms = DistillationLosses.Combined(Batch(), options);

        Assert.Equal((0.5 * InBatch) + (2 * Ci) + (3 * RiHi) + (0.25 * Fi), terms.Total.ToDouble(), Tolerance);
        Assert.Equal(RiPh, terms.RiPh!.ToDouble(), Tolerance);
        Assert.Equal(RiHi, terms.RiHi!.ToDouble(), Tolerance);
    }

    [Fact]
    public void Combined_PlainContrastiveAndPaperRank_ChangeOnlyTheirTerms()
    {
        using var scope = NewDisposeScope();
        var options = new DistillationLossOptions { CiMode = CiMode.PlainContrastive, RiHiLambda = RiHiLambda.PaperRank };

        var terms = DistillationLosses.Combined(Batch(), options);

        var ciPlain = LossReference.Ci(_zPos, _zHard, _pPos, _pHard, plain: true);
        var riHiPaper = LossReference.RiHi(_zHard, _zIn, _pHard, _pIn, paperRank: true, scale: 1.0);
        Assert.Equal(ciPlain, terms.Ci!.ToDouble(), Tolerance);
        Assert.Equal(riHiPaper, terms.RiHi!.ToDouble(), Tolerance);
        Assert.Equal(InBatch + ciPlain + RiPh + (0.01 * riHiPaper) + (0.001 * Fi), terms.Total.ToDouble(), Tolerance);
    }

    [Fact]
    public void Combined_CiWithInBatchNegatives_UsesThePapersCi()
    {
        using var scope = NewDisposeScope();

        var terms = DistillationLosses.Combined(Batch(), new DistillationLossOptions { CiWithInBatchNegatives = true });

        var ciPaper = LossReference.Ci(_zPos, _zHard, _pPos, _pHard, plain: false, _zIn, _pIn);
        Assert.NotEqual(Ci, ciPaper, 1e-3);
        Assert.Equal(ciPaper, terms.Ci!.ToDouble(), Tolerance);
        Assert.Equal(InBatch + ciPaper + RiPh + (0.01 * RiHi) + (0.001 * Fi), terms.Total.ToDouble(), Tolerance);
    }

    [Fact]
    public void Combined_FiOnWithoutTeacherFeatures_IsRefusedByName()
    {
        using var scope = NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(() => DistillationLosses.Combined(Batch(withFeatures: false), new DistillationLossOptions()));

        Assert.StartsWith("FI (feature imitation) is switched on but the batch has no student or teacher features", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combined_EveryTermOff_IsRefused()
    {
        using var scope = NewDisposeScope();
        var off = new DistillationLossOptions { InBatchEnabled = false, CiEnabled = false, RiPhEnabled = false, RiHiEnabled = false, FiEnabled = false };

        var error = Assert.Throws<ArgumentException>(() => DistillationLosses.Combined(Batch(), off));

        Assert.StartsWith("Every distillation loss term is switched off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combined_Backward_GivesEachStudentInputTheSumOfItsTermsGradients()
    {
        using var scope = NewDisposeScope();
        var batch = Batch(requiresGrad: true);
        DistillationLosses.Combined(batch, new DistillationLossOptions()).Total.backward();
        var combinedGrad = batch.StudentHard.grad!.clone();

        var separate = Batch(requiresGrad: true);
        var sum = DistillationLosses.ContrastiveImitation(separate.StudentPositive, separate.StudentHard, separate.TeacherPositive, separate.TeacherHard)
            + DistillationLosses.RankImitationPositiveHard(separate.StudentPositive, separate.StudentHard, separate.TeacherPositive, separate.TeacherHard)
            + (0.01 * DistillationLosses.RankImitationHardEasy(separate.StudentHard, separate.StudentInBatch, separate.TeacherHard, separate.TeacherInBatch));
        sum.backward();

        Assert.Equal(separate.StudentHard.grad!.data<double>().ToArray(), combinedGrad.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    private DistillationBatch Batch(bool withFeatures = true, bool requiresGrad = false)
    {
        Tensor Student(Tensor t) => requiresGrad ? t.requires_grad_() : t;
        return new DistillationBatch(
            Student(Vector(_zPos)),
            Student(Matrix(_zHard)),
            Student(Matrix(_zIn)),
            Vector(_pPos),
            Matrix(_pHard),
            Matrix(_pIn),
            withFeatures ? Student(Cube(_student)) : null,
            withFeatures ? Cube(_teacher) : null);
    }
}
