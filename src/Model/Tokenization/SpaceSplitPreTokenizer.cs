using Microsoft.ML.Tokenizers;

namespace Rerank.Model.Tokenization;

/// <summary>Splits text already through <see cref="BertBasicNormalizer"/> into its space-separated words.</summary>
internal sealed class SpaceSplitPreTokenizer : PreTokenizer
{
    public static SpaceSplitPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => BertBasicTokenization.Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => BertBasicTokenization.Split(text);
}
