using Rerank.Model.Architecture;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Bundle;

/// <summary>What <see cref="ModelBundleWriter"/> writes: the three graphs, the tokenizer files and the manifest's settings.</summary>
internal sealed record BundleContents
{
    public required BackboneConfig Backbone { get; init; }

    public required StudentHeadsConfig Heads { get; init; }

    public required ModelProto Encoder { get; init; }

    public required ModelProto PassageProjection { get; init; }

    public required ModelProto Scorer { get; init; }

    public required TokenizerDescriptor Tokenizer { get; init; }

    /// <summary>The folder the tokenizer's <see cref="TokenizerDescriptor.Files"/> are copied from.</summary>
    public required string TokenizerSourceDirectory { get; init; }

    public required TextLimits Query { get; init; }

    public required TextLimits Passage { get; init; }

    public required ModelProvenance Provenance { get; init; }

    /// <summary>Encoder weights in <c>encoder.onnx.data</c>: null (default) decides by size, true or false forces it.</summary>
    public bool? EncoderExternalData { get; init; }
}
