using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Pipeline;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Cli;

/// <summary><c>rerank-train teacher import</c>: scores computed elsewhere (JSONL or TSV) into the run directory's merged teacher store.</summary>
internal static class TeacherImportCommand
{
    public static Command Create(ITeacherInputs inputs)
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The run directory: reads plan.json, writes teacher/scores.", Required = true };
        outDir.NotAFile();
        var file = new Option<FileInfo>("--file") { Description = "The scores: .jsonl ({\"query_id\", \"passage_id\", \"logit\" or \"yes_probability\", \"features\"?}) or .tsv (query-id, passage-id, logit|yes_probability); docs/training.md.", Required = true };
        var data = new DataOptions();
        var plan = TeacherCommand.PlanOption();
        var command = new Command("import", "Import teacher scores computed elsewhere (a served LLM, an ensemble, a hosted cross-encoder) for every pair of the plan.");
        foreach (var option in (IEnumerable<Option>)[.. data.All, outDir, file, plan])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var layout = new RunLayout(parse.GetRequiredValue(outDir).FullName);
            var trainingPlan = inputs.ReadPlan(TeacherCommand.PlanPath(parse, plan, layout), inputs.ReadCorpus(data, parse, output));
            var (path, imported, ignored) = TeacherImport.Import(parse.GetRequiredValue(file).FullName, layout.TeacherDirectory, trainingPlan);
            using var store = TeacherStore.Open(path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"teacher import: {imported:N0} pairs in {path}; {ignored:N0} pairs of the file are not in the plan and were ignored."));
            if (store.FeatureDim is null)
            {
                output.WriteLine("teacher import: warning: the file has no features, so training switches feature imitation (FI) off.");
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
