using Rerank.Model.Architecture;

namespace Rerank.Model.Bundle;

/// <summary>
/// A tiny, randomly initialised student of the real architecture (<c>rerank model init</c>): for tests, demos and
/// benchmarks where no trained model exists. The backbone's shape and vocabulary are <see cref="RandomDecoderShape"/>'s.
/// </summary>
internal sealed record RandomBundleSettings : RandomDecoderShape
{
    /// <summary>PMA heads; 0 (default) means <see cref="RandomDecoderShape.Heads"/>.</summary>
    public int PmaHeads { get; init; }

    /// <summary>The IEM width, 512 as in the paper.</summary>
    public int IemHidden { get; init; } = 512;

    /// <summary>The cosine term's pooling (<see cref="StudentHeadsConfig.CosinePooling"/>), or null (default) for the paper's IEM alone.</summary>
    public EmbeddingPooling? CosinePooling { get; init; }

    public TextLimits Query { get; init; } = new() { MaxTokens = 250, MaxChars = 1000 };

    public TextLimits Passage { get; init; } = new() { MaxTokens = 250, MaxChars = 4000 };

    /// <summary>Encoder weights in <c>encoder.onnx.data</c>: null (default) decides by size, true or false forces it.</summary>
    public bool? EncoderExternalData { get; init; }

    /// <summary>Recorded in the manifest's provenance.</summary>
    public string CreatedBy { get; init; } = "rerank model init";
}
