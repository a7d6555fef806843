using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train train --data &lt;path&gt; [data options] --out &lt;run dir&gt; --student &lt;checkpoint&gt; [options]</c>: trains the student on
/// the run directory's plan and teacher store (<see cref="DistillationTrainer"/>; docs/training.md, "Training"). Progress,
/// warnings and the per-step lines go to stderr; the summary to stdout. Ctrl+C saves a checkpoint, prints where it stopped
/// and exits with 130; running the same command again resumes.
/// </summary>
internal static class TrainStudentCommand
{
    /// <summary>The exit code after Ctrl+C (128 + SIGINT, the shell's convention), the checkpoint saved.</summary>
    public const int CancelledExitCode = 130;

    public static Command Create(ITrainingInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: plan.json and teacher/ are read from it, train/ is written in it.", Required = true };
        outDir.NotAFile();
        var start = new StudentStartOptions();
        var plan = new Option<FileInfo?>("--plan") { Description = "The plan (default: <out>/plan.json)." };
        var teacher = new Option<DirectoryInfo?>("--teacher") { Description = "The teacher directory with the merged store (default: <out>/teacher)." };
        var training = new TrainingOptionsCli();
        var command = new Command("train", "Train the student (backbone + LoRA or frozen, PMA, IEM) on the plan's batches with the D2LLM losses against the teacher store; evaluates on the held-out queries, keeps the best student in train/best, resumes from train/checkpoint.");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, .. start.All, plan, teacher, .. training.All])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var progress = parse.InvocationConfiguration.Error;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var source = start.Read(parse);
            var options = training.Read(parse);
            var corpus = inputs.ReadCorpus(data.Settings(parse), progress);
            var trainingPlan = inputs.ReadPlan(parse.GetValue(plan)?.FullName ?? layout.Plan, corpus);
            var scores = inputs.OpenTeacher(parse.GetValue(teacher)?.FullName ?? layout.TeacherDirectory);
            TrainingResult result;
            try
            {
                result = DistillationTrainer.Train(source, corpus, trainingPlan, scores, options, layout, progress, cancellationToken);
            }
            finally
            {
                (scores as IDisposable)?.Dispose();
            }

            output.WriteLine(Summary(result, options.Metric));
            return Task.FromResult(result.Cancelled ? CancelledExitCode : 0);
        });
        return command;
    }

    private static string Summary(TrainingResult result, EarlyStoppingMetric metric)
    {
        var how = result.Cancelled ? "cancelled" : result.StoppedEarly ? "stopped early" : "done";
        var text = string.Create(CultureInfo.InvariantCulture, $"train {how} after {result.Steps} steps; best student in {result.BestStudent}");
        if (result.Initial is { } initial && result.Best is { } best)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\nheld-out pooled Spearman {initial.PooledSpearman:F4} at step 0, {best.PooledSpearman:F4} at step {best.Step} (best by {metric})");
        }

        return text;
    }
}
