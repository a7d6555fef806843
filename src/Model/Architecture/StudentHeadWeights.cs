using Rerank.Model.Weights;
using static Rerank.Model.Architecture.StudentHeadNames;

namespace Rerank.Model.Architecture;

/// <summary>The parameters of PMA and the IEM (<see cref="StudentHeadNames"/>), their shapes and a seeded initialisation.</summary>
internal static class StudentHeadWeights
{
    /// <summary>Every head parameter with its shape, in module order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(StudentHeadsConfig config)
    {
        long d = config.Dim;
        long h = config.IemHidden;
        var shapes = new List<(string, long[])> { (PmaSeed, [d]) };
        foreach (var module in (string[])[PmaQuery, PmaKey, PmaValue, PmaOutput])
        {
            shapes.Add((Weight(module), [d, d]));
            shapes.Add((Bias(module), [d]));
        }

        foreach (var norm in (string[])[PmaNorm0, PmaNorm1])
        {
            shapes.Add((Weight(norm), [d]));
            shapes.Add((Bias(norm), [d]));
        }

        shapes.Add((Weight(IemInput), [h, 2 * d]));
        shapes.Add((Bias(IemInput), [h]));
        for (var branch = 0; branch < 2; branch++)
        {
            shapes.Add((Weight(IemBranch(branch)), [h, h]));
            shapes.Add((Bias(IemBranch(branch)), [h]));
        }

        shapes.Add((Weight(IemHead), [1, h]));
        shapes.Add((Bias(IemHead), [1]));
        if (config.CosinePooling is not null)
        {
            shapes.Add((CosineScale, [1]));
        }

        return shapes;
    }

    /// <summary>
    /// Seeded random heads: linear layers uniform in ±1/sqrt(fan_in) like PyTorch's default (drawn here as a normal
    /// with that standard deviation, which keeps one sampler), the seed normal(0, 1), norms 1 ± 0.1 and biases small
    /// but non-zero, so a test notices any term the graph leaves out. Same seed, same bytes.
    /// </summary>
    public static WeightSet CreateRandom(StudentHeadsConfig config, int seed)
    {
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid student heads: " + string.Join(" ", errors), nameof(config));
        }

        var set = new WeightSet();
        foreach (var (name, shape) in ParameterShapes(config))
        {
            var count = (int)shape.Aggregate(1L, (a, x) => a * x);
            var sampler = SeededNormal.For(seed, name);
            var values = name switch
            {
                PmaSeed => sampler.Fill(count, 0, 1),
                CosineScale => sampler.Fill(count, CosineScaleStart, 1),
                _ when name.StartsWith(PmaNorm0, StringComparison.Ordinal) || name.StartsWith(PmaNorm1, StringComparison.Ordinal) =>
                    sampler.Fill(count, name.EndsWith(".weight", StringComparison.Ordinal) ? 1 : 0, 0.1),
                _ when name.EndsWith(".bias", StringComparison.Ordinal) => sampler.Fill(count, 0, 0.05),
                _ => sampler.Fill(count, 0, 1 / Math.Sqrt(shape[^1])),
            };
            set.Add(name, shape, values);
        }

        return set;
    }
}
