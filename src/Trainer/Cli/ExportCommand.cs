using System.CommandLine;
using Rerank.CommandLine;
using Rerank.Trainer.Export;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train export</c>: a model bundle from a backbone checkpoint (LoRA merged) and the student heads.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new StudentSourceOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Bundle directory to write (created; bundle files in it are replaced).", Required = true };
        outDir.NotAFile();
        var command = new Command("export", "Write a model bundle (encoder = backbone with LoRA merged + PMA, passage projection, scorer; tokenizer; manifest) for rerank model score, the sidecar and the ingest pipeline.");
        foreach (var option in (IEnumerable<Option>)[.. source.All, outDir])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetRequiredValue(outDir).FullName;

            using var inputs = StudentInputs.Open(source.Read(parse));
            var manifest = BundleExporter.Export(inputs, directory);
            var b = manifest.Backbone;
            output.WriteLine($"model {manifest.ModelId} written to {directory}");
            output.WriteLine($"  {b.Architecture.ToString().ToLowerInvariant()}: {b.NumLayers} layers, hidden {b.HiddenSize}, vocabulary {b.VocabSize}{(inputs.Source.Lora is null ? "" : ", LoRA merged")}; PMA heads {manifest.Heads.PmaHeads}, IEM hidden {manifest.Heads.IemHidden} ({(inputs.Source.Student is null ? $"random, seed {inputs.Source.Seed}" : "trained")})");
            return Task.FromResult(0);
        });
        return command;
    }
}
