using System.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.CommandLine;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train init-checkpoint</c>: a tiny, seeded, random Hugging Face model directory of the real architecture.</summary>
internal static class InitCheckpointCommand
{
    public static Command Create()
    {
        var defaults = new RandomCheckpointSettings();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (created; weight, config and tokenizer files in it are replaced).", Required = true };
        outDir.NotAFile();
        var shape = new RandomDecoderOptions(defaults, path => BeirReader.ReadCorpus(path).Select(BeirBulkBody.Contents));
        var maxPositions = RandomDecoderOptions.PositiveInt("--max-positions", "max_position_embeddings.", defaults.MaxPositionEmbeddings);
        var tie = new Option<bool>("--tie-embeddings") { Description = "tie_word_embeddings: no lm_head.weight." };
        var dtype = new Option<string>("--dtype") { Description = "Stored precision: f32, f16 or bf16.", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "bf16");
        var shardSize = new Option<string?>("--shard-size") { Description = "Shard the weights into files of at most this size (bytes, or with KB/MB/GB/KiB/MiB/GiB), with model.safetensors.index.json." };

        var command = new Command("init-checkpoint", "Write a tiny randomly initialised LLaMA/Qwen2 checkpoint (config.json, safetensors, tokenizer files) laid out like a Hugging Face model directory.");
        foreach (var option in (IEnumerable<Option>)[outDir, .. shape.Shape, maxPositions, tie, shape.VocabFrom, shape.VocabSize, dtype, shardSize, shape.Seed])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            SafetensorsDtypes.TryParseTorchDtypeName(parse.GetValue(dtype), out var storedDtype);
            var settings = shape.Read(parse, defaults with
            {
                MaxPositionEmbeddings = parse.GetValue(maxPositions),
                TieWordEmbeddings = parse.GetValue(tie),
                Dtype = storedDtype,
                ShardBytes = parse.GetValue(shardSize) is { } size ? ByteSize.Parse("--shard-size", size) : null,
            });
            var directory = parse.GetRequiredValue(outDir).FullName;

            var config = RandomCheckpoint.Write(directory, settings);
            var bytes = Directory.EnumerateFiles(directory, "*.safetensors").Sum(f => new FileInfo(f).Length);
            var d = config.Decoder;
            output.WriteLine($"{config.ArchitectureName} written to {directory}");
            output.WriteLine($"  {d.NumLayers} layers, hidden {d.HiddenSize}, heads {d.NumHeads}/{d.NumKeyValueHeads}, intermediate {d.IntermediateSize}, vocabulary {d.VocabSize}; {config.TorchDtype?.TorchDtypeName()}, {bytes} bytes of weights");
            return Task.FromResult(0);
        });
        return command;
    }
}
