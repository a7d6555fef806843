using System.Globalization;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Tests.Tokenization;

public sealed class SplitPreTokenizerTests
{
    internal const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    internal const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    [Theory]
    // Contractions, case-insensitive: (?i:'s) takes "'S" as well as "'s".
    [InlineData("He's", new[] { "He", "'s" })]
    [InlineData("HE'S", new[] { "HE", "'S" })]
    [InlineData("they'RE", new[] { "they", "'RE" })]
    // One non-letter, non-digit, non-newline character joins the letters after it.
    [InlineData("(hello", new[] { "(hello" })]
    [InlineData(" world", new[] { " world" })]
    // Digits one at a time.
    [InlineData("2024", new[] { "2", "0", "2", "4" })]
    // White space before a word: all but the last space (\s+(?!\S)), the last joins the word; at the end, all.
    [InlineData("a   b", new[] { "a", "  ", " b" })]
    [InlineData("a  ", new[] { "a", "  " })]
    // Newlines: \s*[\r\n]+ takes the run; punctuation keeps the newlines after it.
    [InlineData("a\n\nb", new[] { "a", "\n\n", "b" })]
    [InlineData("a.\n", new[] { "a", ".\n" })]
    [InlineData("a \n b", new[] { "a", " \n", " b" })]
    // CJK letters are \p{L} (Lo).
    [InlineData("中文 ok", new[] { "中文", " ok" })]
    // A supplementary code point is one character, as in Oniguruma: the emoji (So) is the optional
    // [^\r\n\p{L}\p{N}] before the letters, and U+20000 (a CJK Extension B ideograph, Lo) is a letter.
    [InlineData("\U0001F600hi", new[] { "\U0001F600hi" })]
    [InlineData("a\U00020000b", new[] { "a\U00020000b" })]
    // U+1D7CE MATHEMATICAL BOLD DIGIT ZERO is Nd: a digit of its own.
    [InlineData("\U0001D7CE\U0001D7CF", new[] { "\U0001D7CE", "\U0001D7CF" })]
    public void PreTokenize_Qwen2Pattern_SplitsLikeTheRegex(string text, string[] expected)
    {
        Assert.Equal(expected, Pieces(new SplitPreTokenizer(Qwen2Pattern, PreTokenizerSplitBehavior.Isolated, invert: false), text));
    }

    [Theory]
    // Digits in groups of up to three, left to right.
    [InlineData("2024202", new[] { "202", "420", "2" })]
    [InlineData("12345 67", new[] { "123", "45", " ", "67" })]
    [InlineData("\U0001D7CE\U0001D7CF", new[] { "\U0001D7CE\U0001D7CF" })]
    public void PreTokenize_Llama3Pattern_GroupsDigitsByThree(string text, string[] expected)
    {
        Assert.Equal(expected, Pieces(new SplitPreTokenizer(Llama3Pattern, PreTokenizerSplitBehavior.Isolated, invert: false), text));
    }

    [Theory]
    // tokenizers' split with a pattern "-" on "a-b--c": matches at 1, 3, 4.
    [InlineData(PreTokenizerSplitBehavior.Isolated, false, new[] { "a", "-", "b", "-", "-", "c" })]
    [InlineData(PreTokenizerSplitBehavior.Removed, false, new[] { "a", "b", "c" })]
    // Inverted: the gaps are the "matches"; Removed then keeps only the dashes.
    [InlineData(PreTokenizerSplitBehavior.Isolated, true, new[] { "a", "-", "b", "-", "-", "c" })]
    [InlineData(PreTokenizerSplitBehavior.Removed, true, new[] { "-", "-", "-" })]
    public void PreTokenize_Behaviors_KeepWhatTokenizersKeeps(PreTokenizerSplitBehavior behavior, bool invert, string[] expected)
    {
        Assert.Equal(expected, Pieces(new SplitPreTokenizer("-", behavior, invert), "a-b--c"));
    }

    [Fact]
    public void PreTokenize_RemovedWithSupplementaryText_MapsOffsetsBack()
    {
        // The view has one character per code point; the pieces are cut from the original text.
        Assert.Equal(["\U0001F600", "\U0001F600x"], Pieces(new SplitPreTokenizer("-", PreTokenizerSplitBehavior.Removed, invert: false), "\U0001F600-\U0001F600x-"));
    }

    [Fact]
    public void StandIn_EverySupplementaryCodePoint_HasItsCategoryAndNoAsciiCaseEquivalent()
    {
        var wrong = new List<string>();
        for (var codePoint = 0x10000; codePoint <= 0x10FFFF; codePoint++)
        {
            var standIn = SplitPreTokenizer.StandIn(codePoint);
            if (CharUnicodeInfo.GetUnicodeCategory(codePoint) != CharUnicodeInfo.GetUnicodeCategory(standIn)
                || char.ToLowerInvariant(standIn) <= 0x7F || char.ToUpperInvariant(standIn) <= 0x7F || char.IsWhiteSpace(standIn))
            {
                wrong.Add($"U+{codePoint:X}");
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData(Qwen2Pattern)]
    [InlineData(Llama3Pattern)]
    [InlineData(TextTokenizer.Gpt2PreTokenizerPattern)]
    [InlineData(@"[\x20-\x7e]+|\u0041")]
    public void CheckPattern_SupportedPatterns_HaveNoProblem(string pattern)
    {
        Assert.Null(SplitPreTokenizer.CheckPattern(pattern));
    }

    [Theory]
    [InlineData(@"\w+", @"\w at 0 is not supported (Oniguruma and .NET disagree on it)")]
    [InlineData(@"a\b", @"\b at 1 is not supported (Oniguruma and .NET disagree on it)")]
    [InlineData(@"^a", "the anchor '^' at 0 is not supported (a line anchor in Oniguruma, a string anchor in .NET)")]
    [InlineData(@"a$", "the anchor '$' at 1 is not supported (a line anchor in Oniguruma, a string anchor in .NET)")]
    [InlineData(@"\p{IsGreek}", @"the Unicode block \p{Is...} at 0 is not supported (general categories are)")]
    [InlineData("[[:alpha:]]", "the POSIX class at 1 is not supported")]
    [InlineData("é", "non-ASCII character U+00E9 at 0; write patterns with ASCII literals and \\p{...} categories")]
    [InlineData(@"[\u4e00-\u9fff]", @"the escape \u at 1 is above U+007F; only ASCII escapes are supported")]
    public void CheckPattern_UnsupportedConstructs_AreNamed(string pattern, string expected)
    {
        Assert.Equal(expected, SplitPreTokenizer.CheckPattern(pattern));
    }

    [Fact]
    public void CheckPattern_CaretAndDollarInsideAClass_AreLiterals()
    {
        Assert.Null(SplitPreTokenizer.CheckPattern(@"[^$]+|[]^]"));
    }

    [Fact]
    public void CheckPattern_DoesNotCompile_SaysSo()
    {
        Assert.StartsWith(".NET cannot compile it: ", SplitPreTokenizer.CheckPattern("(a"), StringComparison.Ordinal);
    }

    private static string[] Pieces(SplitPreTokenizer preTokenizer, string text) =>
        [.. preTokenizer.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length))];
}
