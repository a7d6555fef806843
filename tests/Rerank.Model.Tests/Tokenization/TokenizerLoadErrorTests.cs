using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class TokenizerLoadErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_MissingVocabFile_ThrowsNamingThePath()
    {
        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, WordPiece()));

        Assert.Contains(Path.Combine(_temp.Path, "vocab.txt"), error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingMergesFile_ThrowsNamingThePath()
    {
        _temp.WriteFile("vocab.json", BpeTokenizerTests.VocabJson);

        var error = Assert.Throws<InvalidDataException>(
            () => TextTokenizer.Load(_temp.Path, new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] }));

        Assert.Contains(Path.Combine(_temp.Path, "merges.txt"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptSentencePieceModel_ThrowsNamingThePath()
    {
        var path = _temp.WriteFile("tokenizer.model", "this is not a protobuf ModelProto");

        var error = Assert.Throws<InvalidDataException>(
            () => TextTokenizer.Load(_temp.Path, new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"] }));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptVocabJson_ThrowsNamingThePath()
    {
        var path = _temp.WriteFile("vocab.json", "{\"h\": 0, ");
        _temp.WriteFile("merges.txt", BpeTokenizerTests.Merges);

        var error = Assert.Throws<InvalidDataException>(
            () => TextTokenizer.Load(_temp.Path, new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VocabNotUtf8_ThrowsNamingThePath()
    {
        var path = Path.Combine(_temp.Path, "vocab.txt");
        File.WriteAllBytes(path, [(byte)'[', (byte)'U', (byte)'N', (byte)'K', (byte)']', (byte)'\n', 0xFF, 0xFE, (byte)'\n']);

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, WordPiece()));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateVocabLine_ThrowsNamingBothLines()
    {
        var path = _temp.WriteFile("vocab.txt", "[UNK]\nhello\nworld\nhello\n");

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, WordPiece()));

        Assert.Equal($"{path}: token 'hello' appears on lines 2 and 4", error.Message);
    }

    [Fact]
    public void Load_PadTokenNotInVocabulary_ThrowsNamingFileFieldAndToken()
    {
        var path = _temp.WriteFile("vocab.txt", "[UNK]\nhello\n");

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, WordPiece() with { PadToken = "[PAD]" }));

        Assert.Equal($"{path}: tokenizer.padToken '[PAD]' is not in the vocabulary", error.Message);
    }

    [Fact]
    public void Load_NoUnknownTokenInWordPieceVocabulary_ThrowsNamingIt()
    {
        var path = _temp.WriteFile("vocab.txt", "[PAD]\nhello\n");

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, WordPiece()));

        Assert.Equal($"{path}: tokenizer.unkToken '[UNK]' is not in the vocabulary", error.Message);
    }

    [Fact]
    public void Load_BpeEosTokenNotInVocabulary_ThrowsNamingIt()
    {
        var path = _temp.WriteFile("vocab.json", BpeTokenizerTests.VocabJson);
        _temp.WriteFile("merges.txt", BpeTokenizerTests.Merges);
        var descriptor = new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], EosToken = "</s>", AddEos = true };

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, descriptor));

        Assert.Equal($"{path}: tokenizer.eosToken '</s>' is not in the vocabulary", error.Message);
    }

    [Fact]
    public void Load_InvalidDescriptor_ThrowsWithEveryProblem()
    {
        var descriptor = new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["a.txt", "b.txt"], AddBos = true };

        var error = Assert.Throws<InvalidDataException>(() => TextTokenizer.Load(_temp.Path, descriptor));

        Assert.Contains("tokenizer.files: WordPiece needs exactly one file, vocab.txt (got 2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.bosToken: addBos is true but no BOS token is given", error.Message, StringComparison.Ordinal);
    }

    private static TokenizerDescriptor WordPiece() => new() { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"] };
}
