using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Model;

/// <summary>
/// <c>rerank model encode</c>: each passage's pooled embedding and projection u_p, encoded one passage at a time (no
/// batching), the independent path that tests compare the vectors stored at ingest with.
/// </summary>
internal static class ModelEncodeCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model bundle directory.", Required = true };
        var passages = new Option<FileInfo>("--passages") { Description = "A UTF-8 file with one passage per line (empty lines are passages too).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {\"model\": <model id>, \"passages\": [{\"embedding\": [...], \"projection\": [...]}]} instead of two lines per passage." };
        var command = new Command("encode", "Encode passages with a student bundle, one at a time: the pooled embedding (d values) and the projection u_p (H values) of each, in input order.")
        {
            model, passages, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var texts = ScoreCommandIO.ReadPassages(parse.GetRequiredValue(passages).FullName);
            using var logging = CliLogging.Create();
            using var student = StudentModel.Load(
                parse.GetRequiredValue(model).FullName, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));
            var encoded = new List<EncodedPassage>(texts.Count);
            foreach (var text in texts)
            {
                var one = student.EncodePassages([text], cancellationToken);
                encoded.Add(new EncodedPassage(one.Embedding(0).ToArray(), one.Projection(0).ToArray()));
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new EncodeOutput(student.ModelId, encoded)));
            }
            else
            {
                foreach (var passage in encoded)
                {
                    output.WriteLine("embedding " + string.Join(' ', passage.Embedding.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                    output.WriteLine("projection " + string.Join(' ', passage.Projection.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record EncodedPassage(
        [property: JsonPropertyName("embedding")] float[] Embedding,
        [property: JsonPropertyName("projection")] float[] Projection);

    private sealed record EncodeOutput(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("passages")] IReadOnlyList<EncodedPassage> Passages);
}
