using System.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Architecture;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train init-checkpoint</c>: a tiny, seeded, random Hugging Face model directory of the real architecture.</summary>
internal static class InitCheckpointCommand
{
    public static Command Create()
    {
        var defaults = new RandomCheckpointSettings();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (created; weight, config and tokenizer files in it are replaced).", Required = true };
        var arch = new Option<DecoderArchitecture>("--arch") { Description = "llama or qwen2 (q/k/v biases, rope theta 1e6).", DefaultValueFactory = _ => defaults.Architecture };
        var layers = Options.PositiveInt("--layers", "Decoder layers (num_hidden_layers).", defaults.Layers);
        var hidden = Options.PositiveInt("--hidden", "hidden_size.", defaults.Hidden);
        var heads = Options.PositiveInt("--heads", "num_attention_heads.", defaults.Heads);
        var kvHeads = Options.PositiveInt("--kv-heads", "num_key_value_heads; must divide --heads.", defaults.KeyValueHeads);
        var intermediate = Options.NonNegativeInt("--intermediate", "intermediate_size (default: 3 x --hidden).");
        var maxPositions = Options.PositiveInt("--max-positions", "max_position_embeddings.", defaults.MaxPositionEmbeddings);
        var tie = new Option<bool>("--tie-embeddings") { Description = "tie_word_embeddings: no lm_head.weight." };
        var vocabFrom = new Option<FileInfo?>("--vocab-from") { Description = "A BEIR corpus.jsonl to build the WordPiece vocabulary from (default: printable ASCII characters)." };
        var vocabSize = Options.PositiveInt("--vocab-size", "Vocabulary size limit with --vocab-from.", defaults.VocabularySize);
        var dtype = new Option<string>("--dtype") { Description = "Stored precision: f32, f16 or bf16.", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "bf16");
        var shardSize = new Option<string?>("--shard-size") { Description = "Shard the weights into files of at most this size (bytes, or with KB/MB/GB/KiB/MiB/GiB), with model.safetensors.index.json." };
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights: the same seed gives byte-identical files.", DefaultValueFactory = _ => defaults.Seed };

        var command = new Command("init-checkpoint", "Write a tiny randomly initialised LLaMA/Qwen2 checkpoint (config.json, safetensors, tokenizer files) laid out like a Hugging Face model directory.")
        {
            outDir, arch, layers, hidden, heads, kvHeads, intermediate, maxPositions, tie, vocabFrom, vocabSize, dtype, shardSize, seed,
        };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            return Task.FromResult(UserErrors.Run(parse.InvocationConfiguration.Error, () =>
            {
                var corpus = parse.GetValue(vocabFrom);
                SafetensorsDtypes.TryParseTorchDtypeName(parse.GetValue(dtype), out var storedDtype);
                var settings = new RandomCheckpointSettings
                {
                    Architecture = parse.GetValue(arch),
                    Layers = parse.GetValue(layers),
                    Hidden = parse.GetValue(hidden),
                    Heads = parse.GetValue(heads),
                    KeyValueHeads = parse.GetValue(kvHeads),
                    Intermediate = parse.GetValue(intermediate),
                    MaxPositionEmbeddings = parse.GetValue(maxPositions),
                    TieWordEmbeddings = parse.GetValue(tie),
                    VocabularyTexts = corpus is null ? null : CorpusTexts(corpus.FullName),
                    VocabularySize = parse.GetValue(vocabSize),
                    Dtype = storedDtype,
                    ShardBytes = parse.GetValue(shardSize) is { } size ? ByteSize.Parse("--shard-size", size) : null,
                    Seed = parse.GetValue(seed),
                };
                var directory = parse.GetRequiredValue(outDir).FullName;
                if (File.Exists(directory))
                {
                    throw new ArgumentException($"--out: {directory} is a file, not a directory.");
                }

                var config = RandomCheckpoint.Write(directory, settings);
                var bytes = Directory.EnumerateFiles(directory, "*.safetensors").Sum(f => new FileInfo(f).Length);
                var d = config.Decoder;
                output.WriteLine($"{config.ArchitectureName} written to {directory}");
                output.WriteLine($"  {d.NumLayers} layers, hidden {d.HiddenSize}, heads {d.NumHeads}/{d.NumKeyValueHeads}, intermediate {d.IntermediateSize}, vocabulary {d.VocabSize}; {config.TorchDtype?.TorchDtypeName()}, {bytes} bytes of weights");
                return 0;
            }));
        });
        return command;
    }

    private static IEnumerable<string> CorpusTexts(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--vocab-from: {path} does not exist.", path);
        }

        return BeirReader.ReadCorpus(path).Select(d => d.Title.Length == 0 ? d.Text : d.Title + " " + d.Text);
    }
}
