using Rerank.Model.Weights;

namespace Rerank.Model.Architecture;

/// <summary>The parameters of any backbone, by architecture: <see cref="DecoderWeights"/> or <see cref="BertWeights"/>.</summary>
internal static class BackboneWeights
{
    /// <summary>Every parameter the backbone's checkpoint holds (decoders: with <c>lm_head.weight</c> unless tied).</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(BackboneConfig config) =>
        config.IsEncoder ? BertWeights.ParameterShapes(config) : DecoderWeights.ParameterShapes(config);

    /// <summary>Deterministic random weights for every parameter of <see cref="ParameterShapes"/>.</summary>
    public static WeightSet CreateRandom(BackboneConfig config, int seed) =>
        config.IsEncoder ? BertWeights.CreateRandom(config, seed) : DecoderWeights.CreateRandom(config, seed);
}
