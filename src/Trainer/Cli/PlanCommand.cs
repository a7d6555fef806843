using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train plan</c>: <c>&lt;out&gt;/plan.json</c> from the data and <c>&lt;out&gt;/negatives.jsonl</c> (<see cref="TrainingPlanner"/>).</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads negatives.jsonl (from mine), writes plan.json.", Required = true };
        outDir.NotAFile();
        var planning = new PlanOptions();
        var command = new Command("plan", "Plan the training batches and held-out candidates into <out>/plan.json: exactly the pairs the teacher scores.");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, .. planning.All])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var corpus = data.Read(parse, output);
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var mined = NegativesFile.Read(layout.Negatives, corpus);
            var settings = planning.Read(parse);
            var (plan, statistics) = TrainingPlanner.Create(corpus, mined, settings);
            PlanFile.Write(layout.Plan, plan, corpus, statistics);
            Report(output, plan, statistics, layout.Plan);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Report(TextWriter output, TrainingPlan plan, PlanStatistics statistics, string path)
    {
        var inv = CultureInfo.InvariantCulture;
        if (statistics.QueriesWithoutNegatives > 0)
        {
            output.WriteLine(string.Create(inv, $"warning: {statistics.QueriesWithoutNegatives:N0} training queries have no hard negative and are left out"));
        }

        if (statistics.HeldOutWithoutNegatives > 0)
        {
            output.WriteLine(string.Create(inv, $"warning: {statistics.HeldOutWithoutNegatives:N0} held-out queries have no hard negative and are left out"));
        }

        if (statistics.QueriesWithRepeatedNegatives > 0)
        {
            output.WriteLine(string.Create(inv, $"plan: {statistics.QueriesWithRepeatedNegatives:N0} queries had fewer than {plan.HardNegatives} negatives; their lists were repeated"));
        }

        var groupings = plan.Batches.Count / plan.BatchesPerGrouping;
        output.WriteLine(string.Create(inv,
            $"plan: {groupings} grouping(s) of {plan.BatchesPerGrouping:N0} batches x {plan.BatchSize} from {statistics.EntriesPerGrouping:N0} (query, positive) entries of {statistics.TrainingQueries:N0} training queries; dropped per grouping (incomplete last batch, conflicts): {string.Join(", ", statistics.DroppedPerGrouping.Select(d => d.ToString("N0", inv)))}"));
        output.WriteLine(string.Create(inv, $"plan: {plan.HeldOut.Count:N0} held-out queries; the teacher scores {plan.Pairs().Count:N0} pairs; wrote {path}"));
    }
}
