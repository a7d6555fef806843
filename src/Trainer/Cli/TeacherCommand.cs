using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train teacher</c>: scores the plan's pairs with an LLM teacher into the run directory's <c>teacher/</c>
/// store (all of them, or one <c>--shard i/n</c>); with the subcommands <c>import</c> and <c>merge</c>.
/// </summary>
internal static class TeacherCommand
{
    public static Command Create(ITeacherInputs inputs)
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads plan.json, writes teacher/.", Required = true };
        outDir.NotAFile();
        var teacher = new Option<DirectoryInfo>("--teacher") { Description = "The teacher: a Hugging Face LLaMA or Qwen2 checkpoint directory with its tokenizer.", Required = true };
        var plan = PlanOption();
        var shard = new Option<string?>("--shard") { Description = "Score only slice i of n of the plan's pairs (0-based, contiguous) into teacher/shard-i-of-n; join the shards with teacher merge. Default: every pair into teacher/scores." };
        var scoring = new TeacherOptions();
        var command = new Command("teacher", "Score the plan's (query, passage) pairs with an LLM teacher: yes/no logit and final hidden state per pair, stored by key in <out>/teacher (resumable).");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, teacher, plan, shard, .. scoring.All])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var settings = scoring.Read(parse, parse.GetRequiredValue(teacher).FullName, layout.TeacherDirectory, parse.GetValue(shard) is { } s ? TeacherShard.Parse(s) : null);
            var corpus = inputs.ReadCorpus(data, parse, output);
            var trainingPlan = inputs.ReadPlan(PlanPath(parse, plan, layout), corpus);
            var (path, count, resumed) = TeacherRun.Run(corpus, trainingPlan, settings, output, error, StageProgress.IsTerminal(error));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher: {count:N0} pairs in {path}{(resumed > 0 ? $" ({resumed:N0} from an earlier run)" : "")}"));
            if (settings.Shard is not null)
            {
                output.WriteLine($"teacher: when every shard is done, run rerank-train teacher merge --data {parse.GetRequiredValue(data.Data)} --out {layout.Root}");
            }

            return Task.FromResult(0);
        });
        command.Subcommands.Add(TeacherImportCommand.Create(inputs));
        command.Subcommands.Add(TeacherMergeCommand.Create(inputs));
        command.Subcommands.Add(TeacherFuseCommand.Create(inputs));
        return command;
    }

    /// <summary><c>--plan</c>: the plan file, default the run directory's <c>plan.json</c>.</summary>
    internal static Option<FileInfo?> PlanOption() => new("--plan") { Description = "The plan file (default: <out>/plan.json)." };

    internal static string PlanPath(ParseResult parse, Option<FileInfo?> plan, RunLayout layout) => parse.GetValue(plan)?.FullName ?? layout.Plan;
}
