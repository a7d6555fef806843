using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Model.Runtime;
using Rerank.Trainer.Student;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train score</c>: the student's logits computed in TorchSharp from the same inputs as <c>export</c>, printed
/// as <c>rerank model score</c> prints the bundle's (ONNX Runtime), so the two can be compared.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var source = new StudentSourceOptions();
        var query = new Option<string>("--query") { Description = "The query text.", Required = true };
        var passages = new Option<FileInfo>("--passages") { Description = "A UTF-8 file with one passage per line (empty lines are passages too).", Required = true };
        var branch = new Option<string>("--branch") { Description = "IEM branch: asym (retrieval) or sym (NLI/STS).", DefaultValueFactory = _ => StudentBranchNames.Asymmetric };
        branch.AcceptOnlyFromAmong(StudentBranchNames.Asymmetric, StudentBranchNames.Symmetric);
        var json = new Option<bool>("--json") { Description = "Print {\"model\": <the inputs>, \"logits\": [...]} instead of one logit per line." };
        var command = new Command("score", "Score passages against a query with the student in TorchSharp (backbone + LoRA + PMA + IEM): one logit per passage, in input order, as rerank model score prints them.");
        foreach (var option in (IEnumerable<Option>)[.. source.All, query, passages, branch, json])
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var texts = ScoreCommandIO.ReadPassages(parse.GetRequiredValue(passages).FullName);
            StudentBranchNames.TryParse(parse.GetValue(branch), out var chosen);
            using var inputs = StudentInputs.Open(source.Read(parse));
            using var student = inputs.CreateTorchStudent();
            var logits = student.Score(parse.GetRequiredValue(query), texts, chosen);
            if (parse.GetValue(json))
            {
                output.WriteLine(ScoreCommandIO.ToJson(inputs.Describe(), logits));
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
