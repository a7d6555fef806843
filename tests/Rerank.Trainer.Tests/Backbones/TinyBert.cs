using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Tokenization;
using Rerank.Model.Weights;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Tests.Backbones;

/// <summary>Tiny BERT encoders for tests: 2 layers, hidden 32, 4 heads, intermediate 48, and checkpoints of them.</summary>
internal static class TinyBert
{
    public static BackboneConfig Config(int vocabSize = 64, int maxPositions = 64) => new()
    {
        Architecture = BackboneArchitecture.Bert,
        VocabSize = vocabSize,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 4,
        MaxPositionEmbeddings = maxPositions,
        TypeVocabSize = 2,
        LayerNormEps = 1e-12,
    };

    /// <summary>
    /// <see cref="BertWeights.CreateRandom"/> with the linear weights scaled up (query and key by 15, the others by 5), so
    /// attention is far from uniform and every block changes the states: a model that ignored the mask, a position or a
    /// residual would disagree clearly.
    /// </summary>
    public static WeightSet Weights(BackboneConfig config, int seed)
    {
        var random = BertWeights.CreateRandom(config, seed);
        var scaled = new WeightSet();
        foreach (var tensor in random.Tensors)
        {
            var factor = tensor.Name.EndsWith("query.weight", StringComparison.Ordinal) || tensor.Name.EndsWith("key.weight", StringComparison.Ordinal) ? 15f
                : tensor.Name.StartsWith("encoder.", StringComparison.Ordinal) && tensor.Shape.Length == 2 ? 5f
                : 1f;
            scaled.Add(tensor.Name, tensor.Shape, [.. tensor.Values.Select(v => v * factor)]);
        }

        return scaled;
    }

    /// <summary>
    /// Writes a BERT checkpoint with <see cref="HfCheckpointWriter"/> (config.json, float32 model.safetensors) and a
    /// lower-casing WordPiece tokenizer over <paramref name="texts"/>' words; <c>vocab_size</c> is the vocabulary's size.
    /// </summary>
    /// <returns>The config written.</returns>
    public static BackboneConfig WriteCheckpoint(string directory, IEnumerable<string> texts, int seed, int maxPositions = 64)
    {
        var vocabulary = WordPieceVocabularyBuilder.Build(texts, 400, lowerCase: true);
        var config = Config(vocabulary.Count, maxPositions);
        var weights = Weights(config, seed);
        Directory.CreateDirectory(directory);
        WordPieceModelFiles.Write(directory, vocabulary, maxPositions);
        var entries = BertWeights.ParameterShapes(config)
            .Select(p => SafetensorsWriteEntry.FromSingles(p.Name, SafetensorsDtype.F32, p.Shape, weights.Get(p.Name, p.Shape).Values))
            .ToList();
        HfCheckpointWriter.Write(directory, new HfModelConfig { Decoder = config, PadTokenId = IndexOf(vocabulary, WordPieceModelFiles.PadToken) }, entries);
        return config;
    }

    private static int IndexOf(IReadOnlyList<string> vocabulary, string token)
    {
        for (var i = 0; i < vocabulary.Count; i++)
        {
            if (vocabulary[i] == token)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{token} is not in the vocabulary.");
    }
}
