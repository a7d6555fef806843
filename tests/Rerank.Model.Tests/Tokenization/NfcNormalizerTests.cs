using Rerank.Model.Tokenization;

namespace Rerank.Model.Tests.Tokenization;

public sealed class NfcNormalizerTests
{
    [Theory]
    // e + COMBINING ACUTE (U+0301) composes to U+00E9 (UnicodeData: 00E9 = 0065 0301).
    [InlineData("cafe\u0301", "caf\u00E9")]
    // Already composed, and ASCII: unchanged.
    [InlineData("caf\u00E9", "caf\u00E9")]
    [InlineData("plain ascii", "plain ascii")]
    // Hangul by arithmetic: L U+1100 + V U+1161 = U+AC00 (가); + T U+11A8 = U+AC01 (각) = 0xAC00 + 1.
    [InlineData("\u1100\u1161", "\uAC00")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    // LV syllable U+AC00 + T U+11A8: (0xAC00 - 0xAC00) % 28 == 0, so it takes the T: U+AC01.
    [InlineData("\uAC00\u11A8", "\uAC01")]
    // A precomposed LVT syllable does not take another T (U+AC01 % 28 != 0).
    [InlineData("\uAC01\u11A8", "\uAC01\u11A8")]
    // Composition exclusion: U+0958 (DEVANAGARI QA) = 0915 093C is in CompositionExclusions.txt, so NFC keeps
    // it decomposed, and 0915 093C does not compose back.
    [InlineData("\u0958", "\u0915\u093C")]
    [InlineData("\u0915\u093C", "\u0915\u093C")]
    // Singleton: U+212B ANGSTROM SIGN -> U+00C5 (A + ring composes to the letter, not back to the sign).
    [InlineData("\u212B", "\u00C5")]
    // Reordering: a + DOT BELOW (U+0323, class 220) + ACUTE (U+0301, 230) is in order and composes with the dot
    // below first: 1EA1 (ạ = 0061 0323), then 1EA1 + 0301 has no composite, so 1EA1 0301.
    [InlineData("a\u0323\u0301", "\u1EA1\u0301")]
    // The same two marks the other way round: canonical ordering puts 0323 (220) before 0301 (230), same result.
    [InlineData("a\u0301\u0323", "\u1EA1\u0301")]
    // Blocked: e + ACUTE + ACUTE: the first composes (é), the second has no composite with é and stays.
    [InlineData("e\u0301\u0301", "\u00E9\u0301")]
    // Two marks of one class keep their order: o + DIAERESIS (230) + MACRON (230): o + 0308 = 00F6, then
    // 00F6 + 0304 = 022B (ȫ = 00F6 0304).
    [InlineData("o\u0308\u0304", "\u022B")]
    [InlineData("o\u0304\u0308", "\u014D\u0308")] // o + macron = 014D; 014D + 0308 has no composite
    // A leading combining mark composes with nothing; a supplementary character passes through.
    [InlineData("\u0301e", "\u0301e")]
    [InlineData("\U0001F600e\u0301", "\U0001F600\u00E9")]
    // Two starters that compose: U+09C7 + U+09BE = U+09CB (BENGALI VOWEL SIGN O).
    [InlineData("\u09C7\u09BE", "\u09CB")]
    public void Normalize_HandWorkedCases_ReturnNfc(string text, string expected)
    {
        Assert.Equal(expected, NfcNormalizer.Instance.Normalize(text));
        Assert.Equal(expected, NfcNormalizer.Instance.Normalize(text.AsSpan()));
    }

    [Fact]
    public void Normalize_UnpairedSurrogate_IsKept()
    {
        Assert.Equal("\uD800\u00E9", NfcNormalizer.Instance.Normalize("\uD800e\u0301"));
        Assert.Equal("x\uDC00\u00E9", NfcNormalizer.Instance.Normalize("x\uDC00e\u0301"));
    }
}
