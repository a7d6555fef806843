using Rerank.Model.Architecture;
using Rerank.Model.Runtime;
using Rerank.Trainer.Student;
using TorchSharp;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Training;

/// <summary>
/// PMA and IEM gradients, as autograd computes them for training, against central finite differences in float64, for the
/// inputs and every parameter entry.
/// </summary>
public sealed class StudentHeadsGradientTests
{
    private const double Step = 1e-6;
    private static readonly StudentHeadsConfig Config = new() { Dim = 8, PmaHeads = 2, IemHidden = 6 };

    [Fact]
    public void PmaGradients_InputsAndEveryParameter_MatchCentralDifferences()
    {
        using var heads = DoubleHeads();
        var generator = new Generator(3, CPU);
        using var hidden = randn([2, 5, 8], dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        using var mask = tensor(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1 }, [2, 5]);
        using var weights = randn([2, 8], dtype: ScalarType.Float64, generator: generator);
        Tensor Loss() => (heads.Pma.call(hidden, mask) * weights).sum();

        var checkedEntries = CheckGradients(Loss, [("hidden", hidden), .. heads.Pma.named_parameters().Select(p => (p.name, (Tensor)p.parameter))], heads);

        Assert.Equal(80 + 8 + (4 * 72) + 32, checkedEntries);

        // Padded positions take no part: their gradient is exactly zero.
        Assert.All(hidden.grad![0].narrow(0, 3, 2).data<double>().ToArray(), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void IemGradients_InputsAndTheAsymmetricBranch_MatchCentralDifferences()
    {
        using var heads = DoubleHeads();
        var generator = new Generator(5, CPU);
        using var query = randn([3, 8], dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        using var passage = randn([3, 8], dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        using var logitWeights = randn([3], dtype: ScalarType.Float64, generator: generator);
        using var featureWeights = randn([3, 6], dtype: ScalarType.Float64, generator: generator);
        Tensor Loss()
        {
            var (logits, features) = heads.Interact(query, passage, StudentBranch.Asymmetric);
            return (logits * logitWeights).sum() + (features * featureWeights).sum();
        }

        var checkedEntries = CheckGradients(Loss, [("query", query), ("passage", passage), .. heads.Iem.named_parameters().Select(p => (p.name, (Tensor)p.parameter))], heads);

        Assert.Equal(48 + (16 * 6) + 6 + (2 * 42) + 7, checkedEntries);
        Assert.All(heads.Iem.named_parameters().Where(p => p.name.StartsWith("branches.0.", StringComparison.Ordinal)), p => Assert.True(p.parameter.grad is null || p.parameter.grad.abs().max().ToDouble() == 0));
    }

    private static StudentHeads DoubleHeads()
    {
        var heads = StudentHeads.Create(Config, StudentHeadWeights.CreateRandom(Config, seed: 7));
        heads.to(ScalarType.Float64);
        return heads;
    }

    /// <summary>Autograd's gradient of every entry of every tensor against (f(x + h) - f(x - h)) / 2h; returns the entries checked.</summary>
    private static int CheckGradients(Func<Tensor> loss, IReadOnlyList<(string Name, Tensor Tensor)> tensors, StudentHeads heads)
    {
        heads.zero_grad();
        foreach (var (_, t) in tensors)
        {
            t.grad = null;
        }

        using (var total = loss())
        {
            total.backward();
        }

        var count = 0;
        foreach (var (name, t) in tensors)
        {
            using var analytic = t.grad?.detach().clone().view(-1) ?? zeros(t.numel(), dtype: ScalarType.Float64);
            var gradients = analytic.data<double>().ToArray();
            using var flat = t.detach().view(-1);
            var values = flat.data<double>();
            for (long i = 0; i < flat.numel(); i++)
            {
                var original = values[i];
                double plus, minus;
                using (no_grad())
                {
                    values[i] = original + Step;
                    plus = Value(loss);
                    values[i] = original - Step;
                    minus = Value(loss);
                    values[i] = original;
                }

                var numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - gradients[i]) <= 1e-7 + (1e-6 * Math.Abs(numeric)), $"{name}[{i}]: autograd {gradients[i]}, central difference {numeric}");
                count++;
            }
        }

        return count;
    }

    private static double Value(Func<Tensor> loss)
    {
        using var value = loss();
        return value.ToDouble();
    }
}
