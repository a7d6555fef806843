using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Teacher;
using Rerank.Trainer.Teacher.Fusion;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train teacher fuse</c>: the calibrated fusion of BM25 and bi-encoder cosines as the run's teacher
/// (<see cref="FusionTeacher"/>; docs/starter-model.md, "Teacher").
/// </summary>
internal static class TeacherFuseCommand
{
    public static Command Create(ITeacherInputs inputs)
    {
        var data = new DataOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads plan.json and the BM25 index, writes teacher-fusion.jsonl/.json and teacher/scores.", Required = true };
        outDir.NotAFile();
        var encoders = new Option<DirectoryInfo[]>("--encoder")
        {
            Description = "A BERT bi-encoder checkpoint (rerank-train pretrained import); repeat for several. Its cosine is a feature.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var window = new Option<int>("--window") { Description = "BM25 candidates per query.", DefaultValueFactory = _ => new FusionSettings().Window };
        var fitQueries = new Option<int>("--fit-queries") { Description = "Training queries the calibration is fitted on (a seeded sample).", DefaultValueFactory = _ => new FusionSettings().FitQueries };
        var noImport = new Option<bool>("--no-import") { Description = "Only write teacher-fusion.jsonl; do not import it as the run's teacher." };
        var plan = TeacherCommand.PlanOption();
        var command = new Command("fuse", "Build a teacher from BM25 and pretrained bi-encoders: a logistic calibration chosen on held-out training queries, imported as the run's teacher.");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, encoders, window, fitQueries, noImport, plan])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var settings = new FusionSettings { Window = parse.GetValue(window), FitQueries = parse.GetValue(fitQueries) };
            settings.Validate();
            var corpus = inputs.ReadCorpus(data, parse, output);
            var trainingPlan = inputs.ReadPlan(TeacherCommand.PlanPath(parse, plan, layout), corpus);
            var opened = new List<CheckpointEmbedder>();
            try
            {
                foreach (var directory in parse.GetRequiredValue(encoders))
                {
                    var embedder = CheckpointEmbedder.Open(directory.FullName);
                    if (opened.Any(e => e.Name == embedder.Name))
                    {
                        embedder.Dispose();
                        throw new ArgumentException($"--encoder: two checkpoints share the folder name '{embedder.Name}', which names the feature; rename one.");
                    }

                    opened.Add(embedder);
                    output.WriteLine($"teacher fuse: {embedder.Description}");
                }

                var result = FusionTeacher.Run(corpus, trainingPlan, layout, opened, settings, output, error, cancellationToken);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher fuse: {result.Pairs:N0} pair logits in {result.ScoresPath}; report in {layout.FusionReport}"));
                if (!parse.GetValue(noImport))
                {
                    var (path, imported, _) = TeacherImport.Import(result.ScoresPath, layout.TeacherDirectory, trainingPlan);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher fuse: imported {imported:N0} pairs as the run's teacher ({path}); it has no features, so training switches feature imitation (FI) off."));
                }
            }
            finally
            {
                foreach (var embedder in opened)
                {
                    embedder.Dispose();
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
