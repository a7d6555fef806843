using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Pipeline;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train mine</c>: BM25 hard negatives into <c>&lt;out&gt;/negatives.jsonl</c> (<see cref="HardNegativeMiner"/>).</summary>
internal static class MineCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: negatives.jsonl and the BM25 index (bm25/) go there; a rerun resumes.", Required = true };
        outDir.NotAFile();
        var mining = new MineOptions();
        var command = new Command("mine", "Mine BM25 hard negatives for every training and held-out query into <out>/negatives.jsonl (resumable).");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, .. mining.All])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var corpus = data.Read(parse, output);
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var settings = mining.Read(parse);
            var summary = HardNegativeMiner.Mine(corpus, layout, settings, output, error, StageProgress.IsTerminal(error), cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mine: {summary.Queries:N0} queries in {layout.Negatives} ({summary.Mined:N0} mined now, {summary.Resumed:N0} from an earlier run); {summary.FewerThanTop:N0} of this run's got fewer than {settings.Top} BM25 negatives"));
            return Task.FromResult(0);
        });
        return command;
    }
}
