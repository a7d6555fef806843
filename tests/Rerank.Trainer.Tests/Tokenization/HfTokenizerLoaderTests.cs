using Rerank.Model.Tokenization;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Tests.Tokenization;

public sealed class HfTokenizerLoaderTests : IDisposable
{
    // Byte-level BPE from src/Model's tests (tests/Rerank.Model.Tests/Tokenization/BpeTokenizerTests.cs), where
    // "hello world" was worked out by hand: hello = 11, Ġwor = 14, l = 2, d = 6.
    private const string VocabJson =
        """{"h":0,"e":1,"l":2,"o":3,"w":4,"r":5,"d":6,"Ġ":7,"he":8,"ll":9,"hell":10,"hello":11,"Ġw":12,"or":13,"Ġwor":14,"c":15,"a":16,"f":17,"Ã":18,"©":19,"Ã©":20}""";

    private const string Merges = "#version: 0.2\nh e\nl l\nhe ll\nhell o\nĠ w\no r\nĠw or\nÃ ©\n";

    private const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // tests/Rerank.Model.Tests/Tokenization/SplitBpeTokenizerTests.cs's vocabulary (its comments derive each id),
    // without the special token, which tokenizer.json lists under added_tokens.
    private const string SplitVocabJson =
        """
        {"H":0,"e":1,"'":2,"s":3,"S":4,"E":5,"h":6,"l":7,"o":8,"(":9,"2":10,"0":11,"4":12,"Ġ":13,"a":14,"b":15,"Ċ":16,
         ".":17,"c":18,"f":19,"Ã":20,"©":21,"Ì":22,"ģ":23,"He":24,"'s":25,"ll":26,"he":27,"hell":28,"hello":29,
         "(hello":30,"ĠĠ":31,"Ġb":32,"ĊĊ":33,"Ã©":34,"ä":35,"¸":36,"Ń":37,"ä¸":38,"ä¸Ń":39,"æ":40,"ĸ":41,"ĩ":42,
         "ð":43,"Ł":44,"ĺ":45,"Ģ":46,"Ģh":47,"i":48,"20":49,"202":50,"hi":51,"'S":52,".Ċ":53}
        """;

    private static readonly string[] SplitMerges =
    [
        "H e", "' s", "l l", "h e", "he ll", "hell o", "( hello", "Ġ Ġ", "Ġ b", "Ċ Ċ", "Ã ©", "ä ¸", "ä¸ Ń", "Ģ h", "2 0", "20 2", "' S", ". Ċ",
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Model => Path.Combine(_temp.Path, "model");

    private string Staging => Path.Combine(_temp.Path, "staging");

    [Fact]
    public void Load_InitCheckpoint_IsWordPieceWithClsAndSepFromTheConfig()
    {
        // Vocabulary from "hello world": 5 specials (ids 0-4), then d e h l o r w each followed by its ## form
        // (d 5, ##d 6, e 7, ##e 8, h 9, ##h 10, l 11, ##l 12, ... ##w 18),
        // then the words hello (19) and world (20), ties in ordinal order.
        var config = RandomCheckpoint.Write(Model, new RandomCheckpointSettings { Hidden = 16, Heads = 2, KeyValueHeads = 1, VocabularyTexts = ["hello world"] });

        var loaded = HfTokenizerLoader.Load(Model, config, Staging);

        Assert.Equal(TokenizerKind.WordPiece, loaded.Descriptor.Kind);
        Assert.Equal(Model, loaded.Directory);
        Assert.True(loaded.Descriptor.LowerCase);
        Assert.Equal([2, 19, 20, 3], loaded.Tokenizer.Encode("Hello WORLD", maxTokens: 16, maxChars: 0));
        Assert.Equal([2, 7, 10, 12, 3], loaded.Tokenizer.Encode("ehl", maxTokens: 16, maxChars: 0)); // e (7) ##h (10) ##l (12)
        Assert.Equal(0, loaded.PadId);
        Assert.Equal(21, config.Decoder.VocabSize);
        Assert.False(Directory.Exists(Staging));
    }

    [Fact]
    public void Load_VocabJsonAndMerges_StagesThemAndEncodesLikeSrcModel()
    {
        Directory.CreateDirectory(Model);
        File.WriteAllText(Path.Combine(Model, "vocab.json"), VocabJson);
        File.WriteAllText(Path.Combine(Model, "merges.txt"), Merges);

        var loaded = HfTokenizerLoader.Load(Model, null, Staging);

        Assert.Equal(TokenizerKind.Bpe, loaded.Descriptor.Kind);
        Assert.Equal(Staging, loaded.Directory);
        Assert.False(loaded.Descriptor.AddBos);
        Assert.Equal([11, 14, 2, 6], loaded.Tokenizer.Encode("hello world", maxTokens: 16, maxChars: 0));
    }

    [Fact]
    public void Load_TokenizerJsonOnly_ConvertsPairMergesAndAddedTokens()
    {
        // tokenizers >= 0.20 writes merges as pairs; <|endoftext|> is an added token outside model.vocab, as in Qwen2.
        var pairs = string.Join(",", Merges.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => $"[\"{l.Split(' ')[0]}\",\"{l.Split(' ')[1]}\"]"));
        Directory.CreateDirectory(Model);
        File.WriteAllText(Path.Combine(Model, "tokenizer.json"), $$$"""
            {"version":"1.0","added_tokens":[{"id":21,"content":"<|endoftext|>","special":true}],
             "normalizer":null,"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true},
             "model":{"type":"BPE","vocab":{{{VocabJson}}},"merges":[{{{pairs}}}]}}
            """);
        File.WriteAllText(Path.Combine(Model, "tokenizer_config.json"), """{"eos_token": "<|endoftext|>", "add_eos_token": true}""");

        var loaded = HfTokenizerLoader.Load(Model, null, Staging);

        Assert.Equal([11, 14, 2, 6, 21], loaded.Tokenizer.Encode("hello world", maxTokens: 16, maxChars: 0));
        Assert.Equal(21, loaded.Tokenizer.EosId);
        Assert.Equal(22, loaded.Tokenizer.VocabularySize);
        Assert.StartsWith("#version: 0.2\nh e\n", File.ReadAllText(Path.Combine(Staging, "merges.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SpecialTokenFromConfigId_FindsItInTheVocabulary()
    {
        Directory.CreateDirectory(Model);
        File.WriteAllText(Path.Combine(Model, "vocab.json"), VocabJson);
        File.WriteAllText(Path.Combine(Model, "merges.txt"), Merges);
        var config = Config(eos: 6, pad: 7);

        var loaded = HfTokenizerLoader.Load(Model, config, Staging);

        Assert.Equal("d", loaded.Descriptor.EosToken);
        Assert.Equal("Ġ", loaded.Descriptor.PadToken);
        Assert.Equal(7, loaded.PadId);
    }

    [Fact]
    public void Load_Qwen2TokenizerJson_NfcAndQwen2SplitGiveHandWorkedIds()
    {
        WriteTokenizerJson(
            """[{"id":54,"content":"<|endoftext|>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}]""",
            """{"type":"NFC"}""",
            Qwen2Pattern,
            """{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false}""",
            ignoreMerges: false);
        File.WriteAllText(Path.Combine(Model, "tokenizer_config.json"), """{"bos_token":null,"eos_token":"<|endoftext|>","pad_token":"<|endoftext|>","tokenizer_class":"Qwen2Tokenizer"}""");

        var loaded = HfTokenizerLoader.Load(Model, null, Staging);

        Assert.Equal(TextNormalization.Nfc, loaded.Descriptor.Normalization);
        Assert.Equal(Qwen2Pattern, loaded.Descriptor.PreTokenizerPattern);
        Assert.False(loaded.Descriptor.IgnoreMerges);
        Assert.False(loaded.Descriptor.AddBos);
        Assert.False(loaded.Descriptor.AddEos);
        Assert.Equal(54, loaded.Tokenizer.EosId);
        Assert.Equal(55, loaded.Tokenizer.VocabularySize);

        // "HE", "'S" (case-insensitive contraction, merged to 52), " café" after NFC (Ġ c a f Ã©), " ", then one digit
        // a piece: 2 0 2 4.
        Assert.Equal([0, 5, 52, 13, 18, 14, 19, 34, 13, 10, 11, 10, 12], loaded.Tokenizer.Encode("HE'S cafe\u0301 2024", maxTokens: 64, maxChars: 0));

        // "a", " " (\s+(?!\S) keeps the last space for the word), " b"; "\n\n" one piece; "中" merged (39), 文 as bytes.
        Assert.Equal([14, 13, 32, 33, 39, 40, 41, 42], loaded.Tokenizer.Encode("a  b\n\n中文", maxTokens: 64, maxChars: 0));
    }

    [Fact]
    public void Load_Llama3TokenizerJson_DigitsByThreeIgnoreMergesAndTemplateBos()
    {
        WriteTokenizerJson(
            """[{"id":54,"content":"<|begin_of_text|>","special":true},{"id":55,"content":"<|end_of_text|>","special":true}]""",
            "null",
            Llama3Pattern,
            """{"type":"Sequence","processors":[{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|begin_of_text|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[],"special_tokens":{}}]}""",
            ignoreMerges: true);
        File.WriteAllText(Path.Combine(Model, "tokenizer_config.json"), """{"bos_token":"<|begin_of_text|>","eos_token":"<|end_of_text|>","tokenizer_class":"PreTrainedTokenizerFast"}""");

        var loaded = HfTokenizerLoader.Load(Model, null, Staging);

        Assert.Equal(TextNormalization.None, loaded.Descriptor.Normalization);
        Assert.True(loaded.Descriptor.IgnoreMerges);
        Assert.True(loaded.Descriptor.AddBos);
        Assert.False(loaded.Descriptor.AddEos);

        // BOS 54; "hi" whole from the vocabulary (51; no merge makes it); " "; "202" "420" "2" -> 50, 4 20, 2.
        Assert.Equal([54, 51, 13, 50, 12, 49, 10], loaded.Tokenizer.Encode("hi 2024202", maxTokens: 64, maxChars: 0));

        // Special-token text stays text: "<|begin_of_text|>" in the input is not 54 (its characters are not all in
        // this small vocabulary, so only the BOS is 54).
        Assert.Single(loaded.Tokenizer.Encode("<|begin_of_text|>", maxTokens: 64, maxChars: 0), id => id == 54);
    }

    [Fact]
    public void Load_UnsupportedNormalizerAndSplitBehavior_AreRefusedByName()
    {
        Directory.CreateDirectory(Model);
        var path = Path.Combine(Model, "tokenizer.json");
        File.WriteAllText(path, """
            {"normalizer":{"type":"NFKC"},
             "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\p{N}"},"behavior":"MergedWithPrevious","invert":false},{"type":"ByteLevel","add_prefix_space":false,"use_regex":false}]},
             "model":{"type":"BPE","vocab":{"a":0},"merges":[],"byte_fallback":true}}
            """);

        var error = Assert.Throws<CheckpointException>(() => HfTokenizerLoader.Load(Model, null, Staging));

        Assert.Equal(
        [
            $"{path}: normalizer 'NFKC' is not supported for BPE (the serving tokenizer applies none or NFC)",
            $"{path}: pre_tokenizer Split behavior 'MergedWithPrevious' is not supported (Isolated and Removed are)",
            $"{path}: model.byte_fallback is not supported (byte-level BPE needs no fallback)",
        ], error.Problems);
    }

    [Fact]
    public void Load_SplitPatternNetCannotMatchLikeOniguruma_IsRefusedWithTheReason()
    {
        Directory.CreateDirectory(Model);
        var path = Path.Combine(Model, "tokenizer.json");
        File.WriteAllText(path, """
            {"normalizer":null,
             "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\w+|\\s+"},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"use_regex":false}]},
             "model":{"type":"BPE","vocab":{"a":0},"merges":[]}}
            """);

        var error = Assert.Throws<CheckpointException>(() => HfTokenizerLoader.Load(Model, null, Staging));

        Assert.Equal([$@"{path}: pre_tokenizer Split pattern '\w+|\s+' is not supported: \w at 0 is not supported (Oniguruma and .NET disagree on it)"], error.Problems);
    }

    [Fact]
    public void Load_ConfigIdsDisagree_NamesBothFiles()
    {
        RandomCheckpoint.Write(Model, new RandomCheckpointSettings { Hidden = 16, Heads = 2, KeyValueHeads = 1 });
        var config = HfModelConfig.Read(Path.Combine(Model, "config.json"));
        var wrong = config with { BosTokenId = 5, Decoder = config.Decoder with { VocabSize = 10 } };

        var error = Assert.Throws<CheckpointException>(() => HfTokenizerLoader.Load(Model, wrong, Staging));

        var configPath = Path.Combine(Model, "config.json");
        Assert.Equal(
        [
            $"{configPath}: bos_token_id is 5 but the tokenizer's BOS token '[CLS]' has id 2",
            $"{configPath}: vocab_size is 10 but the tokenizer has ids up to {config.Decoder.VocabSize - 1}",
        ], error.Problems);
    }

    [Fact]
    public void Load_NoTokenizerFiles_SaysWhichItLooksFor()
    {
        Directory.CreateDirectory(Model);

        var error = Assert.Throws<CheckpointException>(() => HfTokenizerLoader.Load(Model, null, Staging));

        Assert.Equal([$"{Model}: no tokenizer (tokenizer.model, vocab.json + merges.txt, vocab.txt or tokenizer.json)"], error.Problems);
    }

    private void WriteTokenizerJson(string addedTokens, string normalizer, string pattern, string postProcessor, bool ignoreMerges)
    {
        // Laid out as Qwen2's and LLaMA 3's tokenizer.json files are (tokenizers 0.19+), with the vocabulary of
        // tests/Rerank.Model.Tests/Tokenization/SplitBpeTokenizerTests.cs, where the ids were worked out by hand.
        var merges = string.Join(",", SplitMerges.Select(m => $"[\"{m.Split(' ')[0]}\",\"{m.Split(' ')[1]}\"]"));
        var escaped = System.Text.Json.JsonSerializer.Serialize(pattern);
        Directory.CreateDirectory(Model);
        File.WriteAllText(Path.Combine(Model, "tokenizer.json"), $$$"""
            {"version":"1.0","truncation":null,"padding":null,"added_tokens":{{{addedTokens}}},
             "normalizer":{{{normalizer}}},
             "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":{{{escaped}}}},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]},
             "post_processor":{{{postProcessor}}},
             "decoder":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true},
             "model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":"","end_of_word_suffix":"","fuse_unk":false,"byte_fallback":false,"ignore_merges":{{{(ignoreMerges ? "true" : "false")}}},
                      "vocab":{{{SplitVocabJson}}},"merges":[{{{merges}}}]}}
            """);
    }

    private static HfModelConfig Config(int? eos, int? pad) => new()
    {
        Decoder = new Rerank.Model.Architecture.BackboneConfig
        {
            Architecture = Rerank.Model.Architecture.BackboneArchitecture.Qwen2,
            VocabSize = 32,
            HiddenSize = 16,
            IntermediateSize = 32,
            NumLayers = 1,
            NumHeads = 2,
            NumKeyValueHeads = 1,
        },
        EosTokenIds = eos is { } e ? [e] : [],
        PadTokenId = pad,
    };
}
