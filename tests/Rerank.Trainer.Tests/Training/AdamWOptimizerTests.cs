using Rerank.Model.Architecture;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Student;
using Rerank.Trainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Training;

public sealed class AdamWOptimizerTests
{
    [Fact]
    public void Step_OneUpdateByHand_DecaysWeightsButNotBiases()
    {
        // p = 1, g = 0.5, lr 0.1, wd 0.01, betas (0.8, 0.999), eps 1e-6:
        // m = 0.2 * 0.5 = 0.1, v = 0.001 * 0.25 = 2.5e-4, m^ = 0.5, sqrt(v^) = 0.5, update = 0.1 * 0.5 / (0.5 + 1e-6) = 0.0999998;
        // a decayed weight first becomes 1 * (1 - 0.1 * 0.01) = 0.999.
        using var weight = new Parameter(ones(1, dtype: ScalarType.Float64));
        using var bias = new Parameter(ones(1, dtype: ScalarType.Float64));
        using var optimizer = new AdamWOptimizer([new("fc.weight", weight, AdamWOptimizer.Decays("fc.weight")), new("fc.bias", bias, AdamWOptimizer.Decays("fc.bias"))], 0.8, 0.999, 1e-6, 0.01);
        weight.grad = full(1, 0.5, dtype: ScalarType.Float64);
        bias.grad = full(1, 0.5, dtype: ScalarType.Float64);

        optimizer.Step(0.1);

        Assert.Equal(0.999 - (0.05 / (0.5 + 1e-6)), weight.data<double>()[0], 1e-15);
        Assert.Equal(1.0 - (0.05 / (0.5 + 1e-6)), bias.data<double>()[0], 1e-15);
        Assert.Equal(1, optimizer.Steps);
    }

    [Fact]
    public void ClipGradients_NormAboveTheLimit_ScalesEveryGradientToTheLimit()
    {
        using var a = new Parameter(zeros(2, dtype: ScalarType.Float64));
        using var b = new Parameter(zeros(1, dtype: ScalarType.Float64));
        using var optimizer = new AdamWOptimizer([new("a", a, true), new("b", b, true)], 0.8, 0.999, 1e-6, 0.01);
        a.grad = tensor(new[] { 3.0, 0.0 });
        b.grad = tensor(new[] { 4.0 });

        var norm = optimizer.ClipGradients(1.0);

        Assert.Equal(5.0, norm, 1e-12);
        Assert.Equal(3.0 / (5 + 1e-6), a.grad!.data<double>()[0], 1e-12);
        Assert.Equal(4.0 / (5 + 1e-6), b.grad!.data<double>()[0], 1e-12);
    }

    [Fact]
    public void TrainableParameters_LoraStudent_DecaysEverythingButBiasesAndLeavesOutUnusedHeads()
    {
        var config = new StudentHeadsConfig { Dim = 32, PmaHeads = 2, IemHidden = 8 };
        using var heads = StudentHeads.Create(config, StudentHeadWeights.CreateRandom(config, seed: 1));

        var all = DistillationTrainer.TrainableParameters(heads, null, new TrainingOptions());
        var meanCosine = DistillationTrainer.TrainableParameters(heads, null, new TrainingOptions { Pooling = StudentPooling.Mean, Interaction = StudentInteraction.Cosine });

        Assert.Equal(StudentHeadWeights.ParameterShapes(config).Select(p => p.Name).Order(StringComparer.Ordinal), all.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["iem.branches.0.bias", "iem.branches.1.bias", "iem.fc1.bias", "iem.head.bias", "pma.fc_k.bias", "pma.fc_o.bias", "pma.fc_q.bias", "pma.fc_v.bias", "pma.ln0.bias", "pma.ln1.bias"],
            all.Where(p => !p.Decay).Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains(all, p => p.Name == "pma.ln0.weight" && p.Decay);
        Assert.Contains(all, p => p.Name == "pma.seed" && p.Decay);
        Assert.Empty(meanCosine);
        Assert.All(heads.parameters(), p => Assert.False(p.requires_grad));
        Assert.True(AdamWOptimizer.Decays(LoraFiles.LoraAKey("model.layers.0.self_attn.q_proj")));
    }
}
