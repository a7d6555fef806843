using System.CommandLine;
using Rerank.CommandLine;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model init</c>: a tiny, seeded, randomly initialised bundle of the real architecture.</summary>
internal static class ModelInitCommand
{
    public static Command Create()
    {
        var defaults = new RandomBundleSettings();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Bundle directory to write (created; bundle files in it are replaced).", Required = true };
        outDir.NotAFile();
        var shape = new RandomDecoderOptions(defaults, path => BeirReader.ReadCorpus(path).Select(BeirBulkBody.Contents));
        var pmaHeads = RandomDecoderOptions.NonNegativeInt("--pma-heads", "PMA heads (default: --heads).");
        var iemHidden = RandomDecoderOptions.PositiveInt("--iem-hidden", "IEM hidden width (the size of u_p).", defaults.IemHidden);

        var command = new Command("init", "Write a tiny randomly initialised student bundle (LLaMA/Qwen2 backbone + PMA + IEM) for tests and demos. Its scores carry no relevance signal.");
        foreach (var option in (IEnumerable<Option>)[outDir, .. shape.Shape, pmaHeads, iemHidden, .. shape.Tail])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var settings = shape.Read(parse, defaults with
            {
                PmaHeads = parse.GetValue(pmaHeads),
                IemHidden = parse.GetValue(iemHidden),
            });
            var directory = parse.GetRequiredValue(outDir).FullName;

            var manifest = RandomBundle.Write(directory, settings);
            output.WriteLine($"model {manifest.ModelId} written to {directory}");
            output.WriteLine($"  {manifest.Backbone.Architecture.ToString().ToLowerInvariant()}: {manifest.Backbone.NumLayers} layers, hidden {manifest.Backbone.HiddenSize}, vocabulary {manifest.Backbone.VocabSize}; IEM hidden {manifest.Heads.IemHidden}");
            return Task.FromResult(0);
        });
        return command;
    }
}
