using System.Text.Json;

namespace Rerank.Trainer.Mining;

/// <summary>
/// The first line of <c>negatives.jsonl</c>: what the negatives were mined from and with (docs/training.md, "Mining hard
/// negatives"). A resume compares it field by field and refuses a difference by name.
/// </summary>
/// <param name="Data">The corpus name (informative).</param>
/// <param name="Source">Where the data was read from (informative: a moved folder with the same content still matches).</param>
/// <param name="DataFingerprint">The <c>TrainingCorpusFingerprint</c> of the data: queries, positives, held-out set, passages.</param>
/// <param name="Top">Mined negatives per query.</param>
/// <param name="QueryChars">The query's character cut before tokenising.</param>
/// <param name="Bm25">The BM25 settings (fields, analyzer, k1, b), one text.</param>
internal sealed record NegativesHeader(string Data, string Source, string DataFingerprint, int Top, int QueryChars, string Bm25)
{
    public const string Format = "rerank-negatives";
    public const int Version = 1;

    /// <summary>The first field a resume cannot accept, described for the error message; null when the two agree.</summary>
    public string? Difference(NegativesHeader requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        return DataFingerprint != requested.DataFingerprint ? $"data_fingerprint (the data or its held-out choice changed: {Short(DataFingerprint)} was mined, this run reads {Short(requested.DataFingerprint)})"
            : Top != requested.Top ? $"top ({Top} was mined, this run asks {requested.Top})"
            : QueryChars != requested.QueryChars ? $"query_chars ({QueryChars} was mined, this run asks {requested.QueryChars})"
            : Bm25 != requested.Bm25 ? $"bm25 ('{Bm25}' was mined, this run asks '{requested.Bm25}')"
            : null;
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] + "..." : fingerprint;

    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteNumber("version", Version);
        writer.WriteString("data", Data);
        writer.WriteString("source", Source);
        writer.WriteString("data_fingerprint", DataFingerprint);
        writer.WriteNumber("top", Top);
        writer.WriteNumber("query_chars", QueryChars);
        writer.WriteString("bm25", Bm25);
        writer.WriteEndObject();
    }

    /// <summary>Reads line 1 of <paramref name="path"/>; a wrong format, version or field is an <see cref="InvalidDataException"/> naming it.</summary>
    public static NegativesHeader Parse(string path, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "the header line is not a JSON object");
            }

            var format = String(path, root, "format");
            if (format != Format)
            {
                throw Error(path, $"field 'format' is '{format}', expected '{Format}' (not a file rerank-train mine wrote)");
            }

            var version = Integer(path, root, "version");
            if (version != Version)
            {
                throw Error(path, $"field 'version' is {version}; this rerank-train reads version {Version}");
            }

            return new NegativesHeader(
                String(path, root, "data"),
                String(path, root, "source"),
                String(path, root, "data_fingerprint"),
                Integer(path, root, "top"),
                Integer(path, root, "query_chars"),
                String(path, root, "bm25"));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}:1: invalid JSON: {exception.Message}", exception);
        }
    }

    private static string String(string path, JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error(path, $"field '{field}' is missing or not a string");

    private static int Integer(string path, JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error(path, $"field '{field}' is missing or not an integer");

    private static InvalidDataException Error(string path, string problem) => new($"{path}:1: {problem}");
}
