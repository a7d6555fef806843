using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Training;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train run</c>: mine, plan, teacher, train, export and a report in one run directory, each stage resuming
/// (docs/training.md). Every stage's options are taken: mine's with the prefix <c>mine-</c>, the teacher's clashing ones
/// with <c>teacher-</c>, plan's seed as <c>--plan-seed</c> (<c>--seed</c> is training's); <c>--backbone auto|lora|frozen</c>
/// takes the place of <c>train</c>'s <c>--frozen-backbone</c> (auto: LoRA on a CUDA device, frozen on the CPU).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory (created; a rerun resumes every stage): negatives.jsonl, plan.json, teacher/, train/, bundle/, report.json.", Required = true };
        outDir.NotAFile();
        var teacher = new Option<DirectoryInfo>("--teacher") { Description = "The teacher: a Hugging Face LLaMA or Qwen2 checkpoint directory with its tokenizer.", Required = true };
        var mining = new MineOptions("mine-");
        var planning = new PlanOptions("--plan-seed");
        var scoring = new TeacherOptions("teacher-");
        var start = new StudentStartOptions();
        var training = new TrainingOptionsCli();
        var backbone = new Option<string>("--backbone") { Description = "How the student's backbone trains: lora (the paper's), frozen (hidden states cached once, heads trained: practical on a CPU), or auto: lora on a CUDA --device, frozen on the CPU.", DefaultValueFactory = _ => "auto" };
        backbone.AcceptOnlyFromAmong("auto", "lora", "frozen");
        var command = new Command("run", "Distil end to end: mine BM25 negatives, plan the batches, score them with the teacher, train the student, export a bundle to <out>/bundle and write <out>/report.json (teacher-student agreement on held-out pairs before and after).");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, teacher, .. mining.All, .. planning.All, .. scoring.All, .. start.All, .. training.All.Where(o => o != training.FrozenBackbone), backbone])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var trainingOptions = training.Read(parse);
            if (trainingOptions.Pooling != StudentPooling.Pma || trainingOptions.Interaction != StudentInteraction.Iem)
            {
                throw new ArgumentException($"run exports a bundle, which encodes with PMA and scores with the IEM; the ablations {training.Pooling.Name} {parse.GetValue(training.Pooling)} and {training.Interaction.Name} {parse.GetValue(training.Interaction)} are measured with rerank-train train (its held-out metrics)");
            }

            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var settings = new TrainingRunSettings
            {
                Mining = mining.Read(parse),
                Plan = planning.Read(parse),
                Teacher = scoring.Read(parse, parse.GetRequiredValue(teacher).FullName, layout.TeacherDirectory),
                Student = start.Read(parse),
                Training = trainingOptions with { FrozenBackbone = Frozen(parse.GetRequiredValue(backbone), parse.GetValue(training.Device)) },
            };
            output.WriteLine($"run: {(settings.Training.FrozenBackbone ? "frozen backbone (cached hidden states), heads trained" : "LoRA on the backbone")} on {settings.Training.Device ?? "cpu"}{(parse.GetRequiredValue(backbone) == "auto" ? " (--backbone auto)" : "")}");
            var corpus = data.Read(parse, output);
            var report = TrainingRun.Execute(corpus, settings, layout, output, error, StageProgress.IsTerminal(error), cancellationToken);
            if (report is null)
            {
                output.WriteLine($"run: training cancelled; a checkpoint is saved in {layout.TrainDirectory}; run the same command again to resume");
                return Task.FromResult(TrainStudentCommand.CancelledExitCode);
            }

            var inv = CultureInfo.InvariantCulture;
            output.WriteLine(string.Create(inv,
                $"run: held-out teacher-student Spearman {Text(report["spearman_before"])} before, {Text(report["spearman_after"])} after ({Text(report["spearman_after_bundle"])} served by the bundle); bundle {layout.Bundle}; report {layout.Report}"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary><c>--backbone</c>: frozen, or LoRA; auto trains LoRA only on a CUDA device, where it is practical.</summary>
    internal static bool Frozen(string backbone, string? device) => backbone switch
    {
        "frozen" => true,
        "lora" => false,
        _ => device is null || !device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase),
    };

    private static string Text(System.Text.Json.Nodes.JsonNode? value) =>
        value is null ? "n/a" : value.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture);
}
