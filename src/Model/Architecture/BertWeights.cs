using System.Globalization;
using Rerank.Model.Weights;

namespace Rerank.Model.Architecture;

/// <summary>
/// The parameters of a BERT encoder under transformers' <c>BertModel</c> keys (no <c>bert.</c> prefix, as
/// sentence-transformers saves them), and deterministic random weights for tests.
/// </summary>
internal static class BertWeights
{
    /// <summary>
    /// Spread of random LayerNorm weights around 1 and of their biases around 0: a graph that ignores a norm's weight
    /// or bias disagrees with the reference.
    /// </summary>
    public const double NormSpread = 0.1;

    /// <summary>
    /// Every parameter the encoder's last hidden state depends on, with its shape, in forward order: the three
    /// embeddings and their LayerNorm; per layer the query, key and value projections, the attention output dense and
    /// LayerNorm, the intermediate dense, the output dense and LayerNorm. Linear weights are <c>[out, in]</c>. The
    /// pooler (<c>pooler.dense.*</c>) is not listed: nothing here reads it.
    /// </summary>
    /// <exception cref="ArgumentException">The config is invalid or not a BERT one.</exception>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(BackboneConfig config)
    {
        ThrowIfInvalid(config);
        var d = (long)config.HiddenSize;
        var inter = (long)config.IntermediateSize;
        var shapes = new List<(string Name, long[] Shape)>
        {
            ("embeddings.word_embeddings.weight", [config.VocabSize, d]),
            ("embeddings.position_embeddings.weight", [config.MaxPositionEmbeddings, d]),
            ("embeddings.token_type_embeddings.weight", [config.TypeVocabSize, d]),
            ("embeddings.LayerNorm.weight", [d]),
            ("embeddings.LayerNorm.bias", [d]),
        };
        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = LayerPrefix(i);
            foreach (var projection in (ReadOnlySpan<string>)["query", "key", "value"])
            {
                shapes.Add((layer + "attention.self." + projection + ".weight", [d, d]));
                shapes.Add((layer + "attention.self." + projection + ".bias", [d]));
            }

            shapes.Add((layer + "attention.output.dense.weight", [d, d]));
            shapes.Add((layer + "attention.output.dense.bias", [d]));
            shapes.Add((layer + "attention.output.LayerNorm.weight", [d]));
            shapes.Add((layer + "attention.output.LayerNorm.bias", [d]));
            shapes.Add((layer + "intermediate.dense.weight", [inter, d]));
            shapes.Add((layer + "intermediate.dense.bias", [inter]));
            shapes.Add((layer + "output.dense.weight", [d, inter]));
            shapes.Add((layer + "output.dense.bias", [d]));
            shapes.Add((layer + "output.LayerNorm.weight", [d]));
            shapes.Add((layer + "output.LayerNorm.bias", [d]));
        }

        return shapes;
    }

    /// <summary>
    /// Random weights for every parameter of <see cref="ParameterShapes"/>: matrices, embeddings and dense biases
    /// normal(0, 0.02) (transformers' <c>initializer_range</c>), LayerNorm weights 1 + normal(0, 0.1) and biases
    /// normal(0, 0.1). One <see cref="SeededNormal"/> stream in <see cref="ParameterShapes"/> order: the same seed
    /// gives bit-identical floats everywhere.
    /// </summary>
    public static WeightSet CreateRandom(BackboneConfig config, int seed)
    {
        var shapes = ParameterShapes(config);
        var sampler = new SeededNormal(unchecked((ulong)seed));
        var tensors = new List<WeightTensor>(shapes.Count);
        foreach (var (name, shape) in shapes)
        {
            var isNorm = name.Contains("LayerNorm.", StringComparison.Ordinal);
            var isNormWeight = isNorm && name.EndsWith(".weight", StringComparison.Ordinal);
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                var z = sampler.Next();
                values[i] = isNormWeight ? (float)(1 + (NormSpread * z))
                    : isNorm ? (float)(NormSpread * z)
                    : (float)(DecoderWeights.InitializerRange * z);
            }

            tensors.Add(new WeightTensor(name, shape, values));
        }

        return new WeightSet(tensors);
    }

    /// <summary><c>encoder.layer.{i}.</c></summary>
    public static string LayerPrefix(int layer) => string.Create(CultureInfo.InvariantCulture, $"encoder.layer.{layer}.");

    internal static void ThrowIfInvalid(BackboneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Architecture != BackboneArchitecture.Bert)
        {
            throw new ArgumentException($"A {config.Architecture} config is not a BERT one.", nameof(config));
        }

        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid bert config: " + string.Join(" ", errors), nameof(config));
        }
    }
}
