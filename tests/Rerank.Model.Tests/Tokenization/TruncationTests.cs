using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class TruncationTests : IDisposable
{
    // Ids from WordPieceTokenizerTests.Vocabulary: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, hello 4, world 5, "," 9.
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("hello world hello world", 4, new[] { 2, 4, 5, 3 })] // two body tokens fit between BOS and EOS
    [InlineData("hello world hello world", 3, new[] { 2, 4, 3 })]
    [InlineData("hello world hello world", 2, new[] { 2, 3 })]
    [InlineData("hello world", 64, new[] { 2, 4, 5, 3 })]
    [InlineData("", 64, new[] { 2, 3 })]
    public void Encode_TokenLimit_KeepsBosFirstAndEosLast(string text, int maxTokens, int[] expected)
    {
        var tokenizer = LoadWordPiece(addSpecials: true);

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens, maxChars: 0));
    }

    [Theory]
    [InlineData(5, new[] { 4 })] // "hello"
    [InlineData(7, new[] { 4, 1 })] // "hello w": the cut happens before tokenizing, "w" alone is [UNK]
    [InlineData(11, new[] { 4, 5 })]
    [InlineData(0, new[] { 4, 5, 9, 4 })] // no character limit
    public void Encode_CharLimit_CutsTextBeforeTokenizing(int maxChars, int[] expected)
    {
        var tokenizer = LoadWordPiece(addSpecials: false);

        Assert.Equal(expected, tokenizer.Encode("hello world, hello", maxTokens: 64, maxChars));
    }

    [Theory]
    [InlineData("ab😀c", 3, "ab")] // 😀 is the pair D83D DE00; keeping 3 would split it
    [InlineData("ab😀c", 4, "ab😀")]
    [InlineData("ab😀c", 2, "ab")]
    [InlineData("abc", 5, "abc")]
    [InlineData("abc", 0, "abc")]
    [InlineData("abc", -1, "abc")]
    public void CutToChars_SurrogatePair_NeverSplit(string text, int maxChars, string expected)
    {
        Assert.Equal(expected, TextTokenizer.CutToChars(text, maxChars).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData(null)]
    public void Encode_EmptyTextNoBos_GivesTheUnknownId(string? text)
    {
        var tokenizer = LoadWordPiece(addSpecials: false);

        Assert.Equal([1], tokenizer.Encode(text, maxTokens: 8, maxChars: 0));
    }

    [Fact]
    public void Encode_EmptyTextNoUnknownToken_GivesThePadId()
    {
        _temp.WriteFile("vocab.json", BpeTokenizerTests.VocabJson);
        _temp.WriteFile("merges.txt", BpeTokenizerTests.Merges);
        var tokenizer = TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.Bpe,
            Files = ["vocab.json", "merges.txt"],
            PadToken = "<|endoftext|>",
        });

        Assert.Equal([21], tokenizer.Encode("", maxTokens: 8, maxChars: 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Encode_NoRoomForBosAndEos_Throws(int maxTokens)
    {
        var tokenizer = LoadWordPiece(addSpecials: true);

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Encode("hello", maxTokens, 0));
    }

    [Theory]
    [InlineData("hello world hello world", 3, 0, new long[] { 2, 4, 3 })]
    [InlineData("hello world", 64, 7, new long[] { 2, 4, 1, 3 })]
    [InlineData("", 64, 0, new long[] { 2, 3 })]
    public void EncodeInto_SameLimits_WritesWhatEncodeReturns(string text, int maxTokens, int maxChars, long[] expected)
    {
        var tokenizer = LoadWordPiece(addSpecials: true);
        var destination = new long[16];
        Array.Fill(destination, -7L);

        var count = tokenizer.EncodeInto(text, maxTokens, maxChars, destination);

        Assert.Equal(expected, destination[..count]);
        Assert.Equal(expected, tokenizer.Encode(text, maxTokens, maxChars).Select(id => (long)id));
        Assert.All(destination[count..], value => Assert.Equal(-7L, value)); // nothing written past the count
    }

    [Fact]
    public void EncodeInto_EmptyTextNoSpecials_WritesOneUnknownId()
    {
        var tokenizer = LoadWordPiece(addSpecials: false);
        var destination = new long[1];

        Assert.Equal(1, tokenizer.EncodeInto("", 8, 0, destination));
        Assert.Equal(1L, destination[0]);
    }

    [Fact]
    public void EncodeInto_DestinationTooShort_Throws()
    {
        var tokenizer = LoadWordPiece(addSpecials: true);

        Assert.Throws<ArgumentException>(() => tokenizer.EncodeInto("hello world", 64, 0, new long[3]));
    }

    private TextTokenizer LoadWordPiece(bool addSpecials)
    {
        _temp.WriteFile("vocab.txt", string.Join("\n", WordPieceTokenizerTests.Vocabulary) + "\n");
        return TextTokenizer.Load(_temp.Path, new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = ["vocab.txt"],
            LowerCase = true,
            PadToken = "[PAD]",
            BosToken = addSpecials ? "[CLS]" : null,
            EosToken = addSpecials ? "[SEP]" : null,
            AddBos = addSpecials,
            AddEos = addSpecials,
        });
    }
}
