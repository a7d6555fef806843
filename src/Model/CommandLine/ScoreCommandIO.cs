using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.Model.CommandLine;

/// <summary>
/// The input and output formats <c>rerank model score</c> (ONNX Runtime) and <c>rerank-train score</c> (TorchSharp) share,
/// defined once so the two can be compared line for line: the passage file and the <c>--json</c> shape
/// <c>{"model": "...", "logits": [...]}</c>.
/// </summary>
public static class ScoreCommandIO
{
    /// <summary>
    /// The passages of a UTF-8 file, one per line ("\n" or "\r\n"); empty lines are passages too, and a final line ending
    /// does not start another passage.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names it and <c>--passages</c>.</exception>
    public static List<string> ReadPassages(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--passages: {path} does not exist.", path);
        }

        var lines = File.ReadAllText(path).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary><c>{"model":"&lt;model&gt;","logits":[...]}</c> on one line (floats in round-trip form).</summary>
    public static string ToJson(string model, float[] logits) => JsonSerializer.Serialize(new ScoreOutput(model, logits));

    private sealed record ScoreOutput(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("logits")] float[] Logits);
}
