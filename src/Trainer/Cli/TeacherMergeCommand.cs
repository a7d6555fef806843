using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train teacher merge</c>: joins the shards of <c>&lt;out&gt;/teacher</c> into the merged store, refusing gaps and overlaps.</summary>
internal static class TeacherMergeCommand
{
    public static Command Create(ITeacherInputs inputs)
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads plan.json and teacher/shard-*-of-*, writes teacher/scores.", Required = true };
        outDir.NotAFile();
        var data = new DataOptions();
        var plan = TeacherCommand.PlanOption();
        var command = new Command("merge", "Join the shard files of teacher --shard i/n runs by key into the merged store; refuses gaps, overlaps and shards with different settings.");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, plan])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var pairs = inputs.ReadPlan(TeacherCommand.PlanPath(parse, plan, layout), inputs.ReadCorpus(data, parse, output)).Pairs();
            var (path, shards) = TeacherMerge.Merge(layout.TeacherDirectory, pairs, TeacherHashes.PlanPairs(pairs));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher merge: {pairs.Count:N0} pairs from {shards} shard(s) in {path}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
