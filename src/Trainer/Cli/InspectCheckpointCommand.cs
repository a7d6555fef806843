using System.CommandLine;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Tokenization;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train inspect-checkpoint</c>: checks a Hugging Face model directory the way loading does and summarises it.</summary>
internal static class InspectCheckpointCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "The model directory (config.json, safetensors, tokenizer files)." };
        var command = new Command("inspect-checkpoint", "Check a Hugging Face LLaMA/Qwen2 model directory (config, every tensor's presence and shape, tokenizer) and summarise it.") { directory };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            using var checkpoint = HfCheckpoint.Open(parse.GetRequiredValue(directory).FullName);
            var d = checkpoint.Config.Decoder;
            output.WriteLine($"{checkpoint.Config.ArchitectureName} in {checkpoint.Directory}");
            output.WriteLine(d.IsEncoder
                ? $"  {d.NumLayers} layers, hidden {d.HiddenSize}, heads {d.NumHeads}, intermediate {d.IntermediateSize}, vocab {d.VocabSize}, positions {d.MaxPositionEmbeddings}, token types {d.TypeVocabSize}, layer_norm_eps {d.LayerNormEps}"
                : $"  {d.NumLayers} layers, hidden {d.HiddenSize}, heads {d.NumHeads}/{d.NumKeyValueHeads}, intermediate {d.IntermediateSize}, vocab {d.VocabSize}, rope theta {d.RopeTheta}, tied {d.TieWordEmbeddings}");
            output.WriteLine($"  {checkpoint.Parameters.Count} tensors in {checkpoint.Files.Count} file(s), {checkpoint.TotalBytes} bytes, torch_dtype {checkpoint.Config.TorchDtype?.TorchDtypeName() ?? "(not given)"}");
            if (checkpoint.UnusedTensors.Count > 0)
            {
                output.WriteLine($"  unused tensors: {string.Join(", ", checkpoint.UnusedTensors)}");
            }

            var staging = Path.Combine(Path.GetTempPath(), "rerank-tokenizer-" + Guid.NewGuid().ToString("N"));
            try
            {
                var tokenizer = HfTokenizerLoader.Load(checkpoint.Directory, checkpoint.Config, staging);
                var t = tokenizer.Descriptor;
                output.WriteLine($"  tokenizer {t.Kind} ({string.Join(", ", t.Files)}), {tokenizer.Tokenizer.VocabularySize} ids, bos {tokenizer.Tokenizer.BosId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}{(t.AddBos ? " (added)" : "")}, eos {tokenizer.Tokenizer.EosId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}{(t.AddEos ? " (added)" : "")}, pad {tokenizer.PadId}");
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
