using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train pretrained pack-heads</c>: a trained student directory rewritten with float16 weights, the form the
/// starter model's heads are kept in the repository (src/Model/Pretrained/Starter).
/// </summary>
internal static class PackHeadsCommand
{
    public static Command Create()
    {
        var student = new Option<DirectoryInfo>("--student") { Description = "A trained student directory (train/best of a run).", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The directory to write (created; its three files are replaced).", Required = true };
        outDir.NotAFile();
        var command = new Command("pack-heads", "Rewrite a trained student's heads with float16 weights (config and training.json kept), as the starter model ships them.")
        {
            student, outDir,
        };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var source = parse.GetRequiredValue(student).FullName;
            var target = parse.GetRequiredValue(outDir).FullName;
            var files = StudentDirectory.Read(source);
            var training = TrainingProvenance.Read(source)
                ?? throw new ArgumentException($"{Path.Combine(source, TrainingProvenance.FileName)}: not found (pack the heads of a trained student).");
            if (!training.IsServable)
            {
                throw new ArgumentException($"{Path.Combine(source, TrainingProvenance.FileName)}: heads trained as an ablation (pooling {training.Pooling}, interaction {training.Interaction}) cannot be served.");
            }

            var largest = files.Weights.Tensors.SelectMany(t => t.Values).Max(v => Math.Abs(v));
            if (largest > (float)Half.MaxValue)
            {
                throw new ArgumentException($"{Path.Combine(source, StudentDirectory.Weights)}: a weight of magnitude {largest} does not fit float16.");
            }

            StudentDirectory.Write(target, files.Config, files.Weights, files.Query, files.Passage, SafetensorsDtype.F16);
            training.Write(target);
            var rounding = files.Weights.Tensors.SelectMany(t => t.Values).Max(v => Math.Abs(v - (float)(Half)v));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heads packed to {target}: {files.Weights.Tensors.Sum(t => t.Values.Length):N0} weights in float16, largest rounding {rounding:G3}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
