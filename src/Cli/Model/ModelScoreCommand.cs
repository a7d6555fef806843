using System.CommandLine;
using System.Globalization;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model score</c>: one logit per passage for a query, through the bundle's ONNX graphs.</summary>
internal static class ModelScoreCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model bundle directory.", Required = true };
        var query = new Option<string>("--query") { Description = "The query text.", Required = true };
        var passages = new Option<FileInfo>("--passages") { Description = "A UTF-8 file with one passage per line (empty lines are passages too).", Required = true };
        var branch = new Option<string>("--branch") { Description = "IEM branch: asym (retrieval) or sym (NLI/STS).", DefaultValueFactory = _ => StudentBranchNames.Asymmetric };
        branch.AcceptOnlyFromAmong(StudentBranchNames.Asymmetric, StudentBranchNames.Symmetric);
        var json = new Option<bool>("--json") { Description = "Print {\"model\": <model id>, \"logits\": [...]} instead of one logit per line." };

        var command = new Command("score", "Score passages against a query with a student bundle (ONNX Runtime): one logit per passage, in input order.")
        {
            model, query, passages, branch, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var texts = ScoreCommandIO.ReadPassages(parse.GetRequiredValue(passages).FullName);
            StudentBranchNames.TryParse(parse.GetValue(branch), out var chosen);
            using var logging = CliLogging.Create();
            using var student = StudentModel.Load(
                parse.GetRequiredValue(model).FullName, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));
            var queryEmbedding = student.EncodeQueries([parse.GetRequiredValue(query)], cancellationToken);
            var encoded = student.EncodePassages(texts, cancellationToken);
            var logits = new float[texts.Count];
            student.Score(queryEmbedding, encoded.Projections, chosen, logits);

            if (parse.GetValue(json))
            {
                output.WriteLine(ScoreCommandIO.ToJson(student.ModelId, logits));
            }
            else
            {
                foreach (var logit in logits)
                {
                    output.WriteLine(logit.ToString("R", CultureInfo.InvariantCulture));
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }
}
