using Rerank.Model.Tokenization;
using Rerank.TestUtilities;
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
    public void Load_Qwen2StyleTokenizerJson_IsRefusedByName()
    {
        Directory.CreateDirectory(Model);
        File.WriteAllText(Path.Combine(Model, "vocab.json"), VocabJson);
        File.WriteAllText(Path.Combine(Model, "merges.txt"), Merges);
        var path = Path.Combine(Model, "tokenizer.json");
        File.WriteAllText(path, """
            {"normalizer":{"type":"NFC"},
             "pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\p{N}"},"behavior":"Isolated"},{"type":"ByteLevel","add_prefix_space":false,"use_regex":false}]},
             "model":{"type":"BPE","vocab":{},"merges":[]}}
            """);

        var error = Assert.Throws<CheckpointException>(() => HfTokenizerLoader.Load(Model, null, Staging));

        Assert.Equal(2, error.Problems.Count);
        Assert.Equal($"{path}: normalizer 'NFC' is not supported for BPE (the serving tokenizer applies none)", error.Problems[0]);
        Assert.StartsWith($"{path}: pre_tokenizer {{\"type\":\"Sequence\"", error.Problems[1], StringComparison.Ordinal);
        Assert.EndsWith("is not supported (the serving tokenizer splits with GPT-2's byte-level pattern, without a prefix space)", error.Problems[1], StringComparison.Ordinal);
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

    private static HfModelConfig Config(int? eos, int? pad) => new()
    {
        Decoder = new Rerank.Model.Architecture.DecoderConfig
        {
            Architecture = Rerank.Model.Architecture.DecoderArchitecture.Qwen2,
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
