using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class WordPieceTokenizerTests : IDisposable
{
    // Ids are line numbers; every expected id below is read off this list.
    internal static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "un", "##aff", "##able", ",", // 0-9
        "!", "中", "国", "the", "##s", "cat", ".", "##ing", "play", "cafe", // 10-19
        "Hello", // 20
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("Hello, unaffable world!", new[] { 4, 9, 6, 7, 8, 5, 10 })] // un ##aff ##able; "," and "!" split off
    [InlineData("HELLO WORLD", new[] { 4, 5 })]
    [InlineData("cats playing", new[] { 15, 14, 18, 17 })] // cat ##s play ##ing
    [InlineData("hello,world.", new[] { 4, 9, 5, 16 })] // punctuation splits words without spaces
    [InlineData("the zebra", new[] { 13, 1 })]
    [InlineData("unknown", new[] { 1 })] // "un" matches but "##known" does not: the whole word is [UNK]
    [InlineData("中国", new[] { 11, 12 })]
    [InlineData("hello中国world", new[] { 4, 11, 12, 5 })] // each CJK ideograph is a word of its own
    [InlineData("CAFÉ", new[] { 19 })] // lower-cased, then the accent is stripped
    [InlineData("  hello\t\nworld  ", new[] { 4, 5 })]
    [InlineData("[CLS] hello", new[] { 1, 1, 1, 4 })] // "[", "cls", "]": a text cannot inject a special token
    public void Encode_LowerCase_MatchesHandTokenization(string text, int[] expected)
    {
        var tokenizer = Load(lowerCase: true);

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Theory]
    [InlineData("Hello, unaffable world!", new[] { 20, 9, 6, 7, 8, 5, 10 })] // "Hello" has its own cased entry
    [InlineData("HELLO", new[] { 1 })]
    [InlineData("café", new[] { 1 })] // no accent stripping without lower-casing
    public void Encode_Cased_KeepsCase(string text, int[] expected)
    {
        var tokenizer = Load(lowerCase: false);

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Load_WordPiece_ReportsSpecialIdsAndSize()
    {
        var tokenizer = Load(lowerCase: true);

        Assert.Equal(TokenizerKind.WordPiece, tokenizer.Kind);
        Assert.Equal(21, tokenizer.VocabularySize);
        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal(1, tokenizer.UnkId);
        Assert.Null(tokenizer.BosId);
        Assert.Null(tokenizer.EosId);
    }

    [Fact]
    public void Encode_BosAndEosRequested_WrapsTheText()
    {
        var tokenizer = Load(lowerCase: true, addSpecials: true);

        Assert.Equal([2, 4, 5, 3], tokenizer.Encode("hello world", maxTokens: 64, maxChars: 0));
        Assert.Equal(2, tokenizer.BosId);
        Assert.Equal(3, tokenizer.EosId);
    }

    [Fact]
    public void Encode_ConcurrentCalls_AllMatchHandTokenization()
    {
        var tokenizer = Load(lowerCase: true);
        int[] expected = [4, 9, 6, 7, 8, 5, 10];
        var results = new int[2000][];

        Parallel.For(0, results.Length, i => results[i] = tokenizer.Encode("Hello, unaffable world!", 64, 0));

        Assert.All(results, ids => Assert.Equal(expected, ids));
    }

    internal TextTokenizer Load(bool lowerCase, bool addSpecials = false)
    {
        _temp.WriteFile("vocab.txt", string.Join("\n", Vocabulary) + "\n");
        return TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = lowerCase,
            PadToken = "[PAD]",
            BosToken = addSpecials ? "[CLS]" : null,
            EosToken = addSpecials ? "[SEP]" : null,
            AddBos = addSpecials,
            AddEos = addSpecials,
        });
    }
}
