using Rerank.Model.Tokenization;

namespace Rerank.Model.Tests.Tokenization;

public sealed class BertBasicTokenizationTests
{
    [Theory]
    [InlineData("Ünïcödé Straße", true, new[] { "unicode", "straße" })] // ß has no decomposition
    [InlineData("Ünïcödé", false, new[] { "Ünïcödé" })]
    [InlineData("e\u0301te\u0301", true, new[] { "ete" })] // already decomposed: the combining acute is dropped
    [InlineData("한", true, new[] { "\u1112\u1161\u11AB" })] // U+D55C = 0xAC00 + 18*588 + 0*28 + 4: jamo 1112 1161 11AB
    [InlineData("a$b+c", true, new[] { "a", "$", "b", "+", "c" })] // ASCII symbols count as punctuation
    [InlineData("x\u200By\u0000z", true, new[] { "xyz" })] // format and control characters vanish
    [InlineData("\u00A0a\u3000b", true, new[] { "a", "b" })] // no-break and ideographic spaces separate words
    [InlineData("𠀀x", true, new[] { "𠀀", "x" })] // U+20000, CJK extension B, a surrogate pair
    public void Words_Text_SplitsLikeBertBasicTokenizer(string text, bool lowerCase, string[] expected)
    {
        Assert.Equal(expected, BertBasicTokenization.Words(text, lowerCase));
    }
}
