using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rerank.CommandLine;

/// <summary>
/// The input and output formats <c>rerank model score</c> (ONNX Runtime) and <c>rerank-train score</c> (TorchSharp) share,
/// defined once so the two can be compared line for line: the passage file and the <c>--json</c> shape
/// <c>{"model": "...", "logits": [...]}</c>.
/// </summary>
internal static class ScoreCommandIO
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The passages of a UTF-8 file, one per line ("\n" or "\r\n"); empty lines are passages too, and a final line ending
    /// does not start another passage. A leading byte order mark is skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names it and <c>--passages</c>.</exception>
    /// <exception cref="InvalidDataException">The file is empty (no passage to score), or a line is not valid UTF-8 (the message reads <c>path:line: ...</c>).</exception>
    public static List<string> ReadPassages(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--passages: {path} does not exist.", path);
        }

        ReadOnlySpan<byte> bytes = File.ReadAllBytes(path);
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (bytes.IsEmpty)
        {
            throw new InvalidDataException($"--passages: {path} is empty; it needs one passage per line.");
        }

        var passages = new List<string>();
        var lineNumber = 0;
        while (!bytes.IsEmpty)
        {
            lineNumber++;
            var end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            try
            {
                passages.Add(StrictUtf8.GetString(line));
            }
            catch (DecoderFallbackException exception)
            {
                throw new InvalidDataException($"--passages: {path}:{lineNumber}: not valid UTF-8.", exception);
            }
        }

        return passages;
    }

    /// <summary><c>{"model":"&lt;model&gt;","logits":[...]}</c> on one line (floats in round-trip form).</summary>
    public static string ToJson(string model, float[] logits) => JsonSerializer.Serialize(new ScoreOutput(model, logits));

    private sealed record ScoreOutput(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("logits")] float[] Logits);
}
