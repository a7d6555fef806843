using System.CommandLine;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>
/// <c>rerank eval pairs</c>: the student on a sentence-pair file (STS-B, SICK, OCNLI): accuracy and AP for NLI labels,
/// Spearman and Pearson for graded scores (docs/training.md, "Pair-set evaluation").
/// </summary>
internal static class EvalPairsCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model bundle directory.", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Pair file: JSON lines {\"id\", \"text1\", \"text2\", \"label\"?, \"score\"?}.", Required = true };
        var branch = new Option<string>("--branch") { Description = "IEM branch: sym (NLI/STS) or asym (retrieval).", DefaultValueFactory = _ => StudentBranchNames.Symmetric };
        var neutral = new Option<string>("--neutral") { Description = "NLI neutral pairs: exclude them, or count them as negatives.", DefaultValueFactory = _ => EvalPairsEvaluation.NeutralExclude };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the metrics as JSON to this file." };
        branch.AcceptOnlyFromAmong(StudentBranchNames.Symmetric, StudentBranchNames.Asymmetric);
        neutral.AcceptOnlyFromAmong(EvalPairsEvaluation.NeutralExclude, EvalPairsEvaluation.NeutralNegative);
        model.NotAFile();
        json.OutputFile();

        var command = new Command("pairs", "Evaluate the student on a sentence-pair file (text1 as the query, text2 as the passage): accuracy and AP for NLI labels (entailment positive, contradiction negative), Spearman and Pearson for graded scores.")
        {
            model, data, branch, neutral, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var dataPath = parse.GetRequiredValue(data).FullName;
            if (!File.Exists(dataPath))
            {
                throw new FileNotFoundException($"{dataPath}: no such file");
            }

            StudentBranchNames.TryParse(parse.GetValue(branch), out var chosenBranch);
            using var logging = CliLogging.Create();
            using var student = StudentModel.Load(
                parse.GetRequiredValue(model).FullName, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));
            var result = EvalPairsEvaluation.Run(student, dataPath, chosenBranch, parse.GetRequiredValue(neutral), output, cancellationToken);

            output.WriteLine();
            EvalPairsOutput.WriteTable(output, result);
            if (parse.GetValue(json) is { } jsonFile)
            {
                EvalPairsOutput.WriteJson(jsonFile.FullName, result);
                output.WriteLine($"metrics written to {jsonFile.FullName}");
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
