using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class SentencePieceTokenizerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // SentencePiece BPE merges the adjacent pair whose concatenation is a piece with the highest score, leftmost
    // first on ties. Merged pieces score -1 (best) to -8; single characters score far below and never compete.
    internal static IReadOnlyList<(string Piece, float Score, int Type)> Pieces { get; } =
    [
        ("<unk>", 0f, SentencePieceModelWriter.Unknown), // 0
        ("<s>", 0f, SentencePieceModelWriter.Control), // 1
        ("</s>", 0f, SentencePieceModelWriter.Control), // 2
        ("▁h", -1f, SentencePieceModelWriter.Normal), // 3
        ("ll", -2f, SentencePieceModelWriter.Normal), // 4
        ("▁he", -3f, SentencePieceModelWriter.Normal), // 5
        ("or", -4f, SentencePieceModelWriter.Normal), // 6
        ("▁w", -5f, SentencePieceModelWriter.Normal), // 7
        ("▁hell", -6f, SentencePieceModelWriter.Normal), // 8
        ("▁wor", -7f, SentencePieceModelWriter.Normal), // 9
        ("▁hello", -8f, SentencePieceModelWriter.Normal), // 10
        ("▁", -100f, SentencePieceModelWriter.Normal), // 11
        ("h", -101f, SentencePieceModelWriter.Normal), // 12
        ("e", -102f, SentencePieceModelWriter.Normal), // 13
        ("l", -103f, SentencePieceModelWriter.Normal), // 14
        ("o", -104f, SentencePieceModelWriter.Normal), // 15
        ("w", -105f, SentencePieceModelWriter.Normal), // 16
        ("r", -106f, SentencePieceModelWriter.Normal), // 17
        ("d", -107f, SentencePieceModelWriter.Normal), // 18
    ];

    [Theory]
    // "▁hello▁world" (dummy prefix, spaces escaped). ▁hello: ▁ h e l l o -> ▁h(-1) -> ll(-2) -> ▁he(-3) -> ▁hell(-6)
    // -> ▁hello(-8) = 10. ▁world: ▁ w o r l d -> or(-4) -> ▁w(-5) -> ▁wor(-7) = 9, then l d = 14 18. BOS 1 first.
    [InlineData("hello world", new[] { 1, 10, 9, 14, 18 })]
    // "▁hi▁▁hello": both "▁h" pairs merge (leftmost first), "i" is no piece -> <unk>, the lone "▁" stays = 11.
    [InlineData("hi  hello", new[] { 1, 3, 0, 11, 10 })]
    [InlineData("", new[] { 1 })]
    public void Encode_LlamaStyle_MergesByScoreAfterBos(string text, int[] expected)
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"], AddBos = true });

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Load_NoSpecialsInDescriptor_TakesTheModelsOwn()
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"], AddBos = true, AddEos = true });

        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(0, tokenizer.UnkId);
        Assert.Equal(2, tokenizer.PadId); // no pad token: the EOS id
        Assert.Equal(19, tokenizer.VocabularySize);
        Assert.Equal([1, 10, 2], tokenizer.Encode("hello", maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Encode_NoBosRequested_StartsWithTheFirstPiece()
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"] });

        Assert.Equal([10, 9, 14, 18], tokenizer.Encode("hello world", maxTokens: 64, maxChars: 0));
        Assert.Equal([0], tokenizer.Encode("", maxTokens: 64, maxChars: 0)); // empty, no BOS: the unknown id
    }

    private TextTokenizer Load(TokenizerDescriptor descriptor)
    {
        File.WriteAllBytes(Path.Combine(_temp.Path, "tokenizer.model"), SentencePieceModelWriter.Build(Pieces));
        return TextTokenizer.Load(_temp.Path, descriptor);
    }
}
