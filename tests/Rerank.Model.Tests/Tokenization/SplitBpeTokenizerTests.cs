using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Tokenization;

/// <summary>Byte-level BPE with Qwen2's and LLaMA 3's pre-tokenizers, on a vocabulary small enough to work by hand.</summary>
public sealed class SplitBpeTokenizerTests : IDisposable
{
    // Byte-level characters (GPT-2's bytes_to_unicode): space 0x20 -> 'Ġ' U+0120, '\n' -> 'Ċ' U+010A; é = C3 A9 ->
    // 'Ã' '©'; U+0301 = CC 81 -> 'Ì' 'ģ'(U+0123); 中 = E4 B8 AD -> 'ä' '¸' 'Ń'(U+0143); 文 = E6 96 87 -> 'æ'
    // 'ĸ'(U+0138) 'ĩ'(U+0129); 😀 = F0 9F 98 80 -> 'ð' 'Ł'(U+0141) 'ĺ'(U+013A) 'Ģ'(U+0122).
    // Bytes 0-32 map to U+0100.., 127-160 to U+0121.., 173 to U+0143.
    internal const string VocabJson =
        """
        {"H":0,"e":1,"'":2,"s":3,"S":4,"E":5,"h":6,"l":7,"o":8,"(":9,"2":10,"0":11,"4":12,"Ġ":13,"a":14,"b":15,"Ċ":16,
         ".":17,"c":18,"f":19,"Ã":20,"©":21,"Ì":22,"ģ":23,"He":24,"'s":25,"ll":26,"he":27,"hell":28,"hello":29,
         "(hello":30,"ĠĠ":31,"Ġb":32,"ĊĊ":33,"Ã©":34,"ä":35,"¸":36,"Ń":37,"ä¸":38,"ä¸Ń":39,"æ":40,"ĸ":41,"ĩ":42,
         "ð":43,"Ł":44,"ĺ":45,"Ģ":46,"Ģh":47,"i":48,"20":49,"202":50,"hi":51,"'S":52,".Ċ":53,"<|endoftext|>":54}
        """;

    // Ranks 0..17. "hi" (51) is in the vocabulary but no merge makes it: only ignore_merges reaches it.
    internal static readonly string[] MergeList =
    [
        "H e", "' s", "l l", "h e", "he ll", "hell o", "( hello", "Ġ Ġ", "Ġ b", "Ċ Ċ", "Ã ©", "ä ¸", "ä¸ Ń", "Ģ h", "2 0", "20 2", "' S", ". Ċ",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static string Merges => "#version: 0.2\n" + string.Join("\n", MergeList) + "\n";

    public static TheoryData<string, int[]> Qwen2Cases => new()
    {
        // "He" (H e -> He 24), "'s" (' s -> 25).
        { "He's", [24, 25] },
        // (?i:'s) takes "'S" whole, so the "' S" merge applies (52); GPT-2's pattern would give "'", "S" (2, 4).
        { "HE'S", [0, 5, 52] },
        // "(hello" is one piece: l l -> ll, h e -> he, he ll -> hell, hell o -> hello, ( hello -> (hello (30).
        { "(hello", [30] },
        // One digit a piece: the "2 0" merge never sees two digits together.
        { "2024", [10, 11, 10, 12] },
        // "a", " " (\s+(?!\S) leaves the last space), " b" (Ġ b -> 32); at the end of the text both spaces (Ġ Ġ -> 31).
        { "a  b", [14, 13, 32] },
        { "a  ", [14, 31] },
        // "a", "\n\n" (Ċ Ċ -> 33), "b"; "a", ".\n" (. Ċ -> 53).
        { "a\n\nb", [14, 33, 15] },
        { "a.\n", [14, 53] },
        // NFC composes e + U+0301 to é: "café" = c a f Ã© (Ã © -> 34).
        { "cafe\u0301", [18, 14, 19, 34] },
        // 中文 is one piece: ä ¸ -> ä¸, ä¸ Ń -> ä¸Ń (39); 文 stays æ ĸ ĩ.
        { "中文", [39, 40, 41, 42] },
        // The emoji and "hi" are one piece (one code point before the letters), so Ģ h merges (47): ð Ł ĺ Ģh i.
        { "\U0001F600hi", [43, 44, 45, 47, 48] },
        // No ignore_merges: "hi" goes through the merges (none apply) although the vocabulary has it.
        { "hi", [6, 48] },
    };

    public static TheoryData<string, int[]> Llama3Cases => new()
    {
        // Digits in threes: "202" (2 0 -> 20, 20 2 -> 202 = 50), "420" (2 0 -> 20: 4 20 = 12 49), "2" (10).
        { "2024202", [50, 12, 49, 10] },
        // ignore_merges: the piece "hi" is in the vocabulary, so it is 51 without merging.
        { "hi", [51] },
        // No normalizer: e and U+0301 stay apart; U+0301 is a piece of its own (Ì ģ).
        { "cafe\u0301", [18, 14, 19, 1, 22, 23] },
        { "HE'S", [0, 5, 52] },
        { "a  b", [14, 13, 32] },
        { "\U0001F600hi", [43, 44, 45, 47, 48] },
    };

    [Theory]
    [MemberData(nameof(Qwen2Cases))]
    public void Encode_Qwen2Structure_GivesHandWorkedIds(string text, int[] expected)
    {
        var tokenizer = Load(Qwen2Descriptor);

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Theory]
    [MemberData(nameof(Llama3Cases))]
    public void Encode_Llama3Structure_GivesHandWorkedIds(string text, int[] expected)
    {
        var tokenizer = Load(Llama3Descriptor);

        Assert.Equal(expected, tokenizer.Encode(text, maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Encode_Gpt2Default_StillSplitsWithGpt2Pattern()
    {
        // No pattern: GPT-2's, where "HE'S" is "HE" "'" "S" and digits stay together ("2024" -> 20 2 4 -> 202 4).
        var tokenizer = Load(new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] });

        Assert.Equal([0, 5, 2, 4], tokenizer.Encode("HE'S", 64, 0));
        Assert.Equal([50, 12], tokenizer.Encode("2024", 64, 0));
    }

    [Fact]
    public void Encode_Llama3WithBos_TruncatesAfterIgnoringMerges()
    {
        var tokenizer = Load(Llama3Descriptor with { BosToken = "<|endoftext|>", AddBos = true });

        // "hi" -> 51 whole; " hi" (Ġhi) is not in the vocabulary and no merge applies: 13 6 48. BOS + the first two.
        Assert.Equal([54, 51, 13], tokenizer.Encode("hi hi", maxTokens: 3, maxChars: 0));
        Assert.Equal([54, 51, 13, 6, 48], tokenizer.Encode("hi hi", maxTokens: 64, maxChars: 0));
    }

    internal static TokenizerDescriptor Qwen2Descriptor => new()
    {
        Kind = TokenizerKind.Bpe,
        Files = ["vocab.json", "merges.txt"],
        Normalization = TextNormalization.Nfc,
        PreTokenizerPattern = SplitPreTokenizerTests.Qwen2Pattern,
    };

    internal static TokenizerDescriptor Llama3Descriptor => new()
    {
        Kind = TokenizerKind.Bpe,
        Files = ["vocab.json", "merges.txt"],
        PreTokenizerPattern = SplitPreTokenizerTests.Llama3Pattern,
        IgnoreMerges = true,
    };

    private TextTokenizer Load(TokenizerDescriptor descriptor)
    {
        _temp.WriteFile("vocab.json", VocabJson);
        _temp.WriteFile("merges.txt", Merges);
        return TextTokenizer.Load(_temp.Path, descriptor);
    }
}
