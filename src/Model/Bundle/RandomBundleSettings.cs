using Rerank.Model.Architecture;

namespace Rerank.Model.Bundle;

/// <summary>
/// A tiny, randomly initialised student of the real architecture (<c>rerank model init</c>): for tests, demos and
/// benchmarks where no trained model exists. Defaults give a 2-layer LLaMA of width 64.
/// </summary>
public sealed record RandomBundleSettings
{
    public DecoderArchitecture Architecture { get; init; } = DecoderArchitecture.Llama;

    public int Layers { get; init; } = 2;

    public int Hidden { get; init; } = 64;

    public int Heads { get; init; } = 4;

    public int KeyValueHeads { get; init; } = 2;

    /// <summary>The MLP width; 0 (default) means three times <see cref="Hidden"/>.</summary>
    public int Intermediate { get; init; }

    /// <summary>PMA heads; 0 (default) means <see cref="Heads"/>.</summary>
    public int PmaHeads { get; init; }

    /// <summary>The IEM width, 512 as in the paper.</summary>
    public int IemHidden { get; init; } = 512;

    /// <summary>
    /// Texts the WordPiece vocabulary is built from (a corpus), or null for a character-level vocabulary of printable
    /// ASCII, which tokenizes any English text, letter by letter.
    /// </summary>
    public IEnumerable<string>? VocabularyTexts { get; init; }

    /// <summary>The vocabulary's size limit when it is built from texts.</summary>
    public int VocabularySize { get; init; } = 8000;

    public int Seed { get; init; } = 1;

    public TextLimits Query { get; init; } = new() { MaxTokens = 250, MaxChars = 1000 };

    public TextLimits Passage { get; init; } = new() { MaxTokens = 250, MaxChars = 4000 };

    /// <summary>Encoder weights in <c>encoder.onnx.data</c>: null (default) decides by size, true or false forces it.</summary>
    public bool? EncoderExternalData { get; init; }

    /// <summary>Recorded in the manifest's provenance.</summary>
    public string CreatedBy { get; init; } = "rerank model init";
}
