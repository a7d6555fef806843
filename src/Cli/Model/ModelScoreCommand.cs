using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rerank.Cli.Common;
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
            return Task.FromResult(UserErrors.Run(parse.InvocationConfiguration.Error, () =>
            {
                var passageFile = parse.GetRequiredValue(passages).FullName;
                if (!File.Exists(passageFile))
                {
                    throw new FileNotFoundException($"--passages: {passageFile} does not exist.", passageFile);
                }

                var texts = ReadLines(passageFile);
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
                    output.WriteLine(JsonSerializer.Serialize(new ScoreOutput(student.ModelId, logits)));
                }
                else
                {
                    foreach (var logit in logits)
                    {
                        output.WriteLine(logit.ToString("R", CultureInfo.InvariantCulture));
                    }
                }

                return 0;
            }));
        });
        return command;
    }

    /// <summary>Lines of the file, "\n" or "\r\n"; a final line ending does not start another passage.</summary>
    private static List<string> ReadLines(string path)
    {
        var lines = File.ReadAllText(path).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private sealed record ScoreOutput(
        [property: System.Text.Json.Serialization.JsonPropertyName("model")] string Model,
        [property: System.Text.Json.Serialization.JsonPropertyName("logits")] float[] Logits);
}
