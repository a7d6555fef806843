using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Model.Pretrained;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model starter</c>: the starter bundle from the restored pretrained encoder and the trained heads shipped with rerank.</summary>
internal static class ModelStarterCommand
{
    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Bundle directory to write (created; bundle files in it are replaced).", Required = true };
        outDir.NotAFile();
        var command = new Command("starter", $"Write the starter model: {StarterModel.Encoder.ModelName} (from the restored {StarterModel.Encoder.PackageId} package) with trained PMA and IEM heads (docs/starter-model.md).")
        {
            outDir,
        };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetRequiredValue(outDir).FullName;
            var stopwatch = Stopwatch.StartNew();
            var manifest = StarterModel.Write(directory);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {manifest.ModelId} written to {directory} in {stopwatch.Elapsed.TotalSeconds:F1} s"));
            output.WriteLine($"  {manifest.Provenance.Backbone}");
            output.WriteLine($"  teacher: {manifest.Provenance.Teacher}");
            output.WriteLine($"  licence: {manifest.Provenance.License}");
            return Task.FromResult(0);
        });
        return command;
    }
}
