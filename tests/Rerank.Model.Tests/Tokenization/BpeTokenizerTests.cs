using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

public sealed class BpeTokenizerTests : IDisposable
{
    // GPT-2's byte-to-unicode map: printable ASCII stays, space (0x20) becomes U+0120 'Ġ' (256 + 32); "é" is UTF-8
    // C3 A9, and both bytes (195 in 174..255, 169 in 161..172) map to themselves: 'Ã' '©'.
    internal const string VocabJson =
        """{"h":0,"e":1,"l":2,"o":3,"w":4,"r":5,"d":6,"Ġ":7,"he":8,"ll":9,"hell":10,"hello":11,"Ġw":12,"or":13,"Ġwor":14,"c":15,"a":16,"f":17,"Ã":18,"©":19,"Ã©":20,"<|endoftext|>":21}""";

    // Ranks 0..7, applied lowest rank first inside each pre-token.
    internal const string Merges = "#version: 0.2\nh e\nl l\nhe ll\nhell o\nĠ w\no r\nĠw or\nÃ ©\n";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    // "hello": h e l l o -> (h e) he l l o -> (l l) he ll o -> (he ll) hell o -> (hell o) hello = 11.
    // " world": Ġ w o r l d -> (Ġ w) Ġw o r l d -> (o r) Ġw or l d -> (Ġw or) Ġwor l d = 14 2 6.
    [InlineData("hello world", new[] { 11, 14, 2, 6 })]
    // Two spaces: GPT-2's pattern leaves the first space alone ("\s+(?!\S)") and " world" keeps the second.
    [InlineData("hello  world", new[] { 11, 7, 14, 2, 6 })]
    // " café": Ġ c a f Ã © -> (Ã ©) Ġ c a f Ã©; there is no "Ġ c" merge.
    [InlineData("hello café", new[] { 11, 7, 15, 16, 17, 20 })]
    public void Encode_ByteLevel_AppliesMergesByRank(string text, int[] expected)
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] });

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Encode_EosRequested_AppendsItAndPadsWithIt()
    {
        var tokenizer = Load(new TokenizerDescriptor
        {
            Kind = TokenizerKind.Bpe,
            Files = ["vocab.json", "merges.txt"],
            EosToken = "<|endoftext|>",
            AddEos = true,
        });

        Assert.Equal([11, 14, 2, 6, 21], tokenizer.Encode("hello world", maxTokens: 64, maxChars: 0));
        Assert.Equal(21, tokenizer.EosId);
        Assert.Equal(21, tokenizer.PadId); // no pad token: the EOS id
        Assert.Null(tokenizer.UnkId);
        Assert.Equal(22, tokenizer.VocabularySize);
    }

    [Fact]
    public void PadId_NoPadNoEos_IsZero()
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] });

        Assert.Equal(0, tokenizer.PadId);
        Assert.Null(tokenizer.EosId);
    }

    [Fact]
    public void Encode_ConcurrentCalls_AllMatchHandTokenization()
    {
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] });
        string[] texts = ["hello world", "hello café", "hello  world"];
        int[][] expected = [[11, 14, 2, 6], [11, 7, 15, 16, 17, 20], [11, 7, 14, 2, 6]];
        var results = new int[3000][];

        // The BPE cache is shared between calls; results must not depend on who filled it.
        Parallel.For(0, results.Length, i => results[i] = tokenizer.Encode(texts[i % 3], 64, 0));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % 3], results[i]);
        }
    }

    internal TextTokenizer Load(TokenizerDescriptor descriptor)
    {
        _temp.WriteFile("vocab.json", VocabJson);
        _temp.WriteFile("merges.txt", Merges);
        return TextTokenizer.Load(_temp.Path, descriptor);
    }
}
