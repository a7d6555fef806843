using Microsoft.ML.Tokenizers;

namespace Rerank.Model.Tokenization;

/// <summary>Plugs <see cref="BertBasicTokenization.Normalize"/> into a Microsoft.ML.Tokenizers WordPiece tokenizer.</summary>
internal sealed class BertBasicNormalizer(bool lowerCase) : Normalizer
{
    public override string Normalize(string original) => BertBasicTokenization.Normalize(original, lowerCase);

    public override string Normalize(ReadOnlySpan<char> original) => BertBasicTokenization.Normalize(original, lowerCase);
}
