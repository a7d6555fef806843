using System.Globalization;
using System.Text.Json;
using Rerank.LuceneBaseline.Beir;

namespace Rerank.LuceneBaseline.Pairs;

/// <summary>
/// Reads a sentence-pair file: JSON lines <c>{"id", "text1", "text2", "label"?, "score"?}</c> (the layout of
/// ../shared/data/stsb-en, sick and ocnli). Errors are <see cref="BeirFormatException"/> reading
/// <c>path:line: problem</c>, the problem naming the field.
/// </summary>
/// <remarks>
/// The rules follow <see cref="BeirReader"/>: one object per line, blank lines skipped, a UTF-8 BOM and CRLF accepted,
/// invalid UTF-8 refused with its line, unknown fields ignored. <c>id</c> is a non-empty string or an integer (read as
/// its decimal text) and unique in the file; <c>text1</c> and <c>text2</c> are strings; <c>label</c> is a string or
/// null; <c>score</c> is a finite number or null.
/// </remarks>
public static class SentencePairReader
{
    /// <summary>Reads every pair of <paramref name="path"/> in file order; a repeated id is an error naming both lines.</summary>
    public static IReadOnlyList<SentencePair> Read(string path) => [.. ReadLines(path, renameRepeatedIds: false).Select(line => line.Pair)];

    /// <summary>
    /// Reads every pair with its 1-based line number, so that a caller's own checks can name the line.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="renameRepeatedIds">
    /// False: a repeated id is an error. True: the second and later lines with id <c>X</c> get the id <c>X#n</c>, n the
    /// smallest number from 2 up not yet taken, so every pair keeps a distinct id (sentence-transformers' STS-B copy in
    /// ../shared/data/stsb-en numbers pairs per source file, so its ids repeat); a later line whose own id equals a
    /// name given this way is still an error.
    /// </param>
    public static IEnumerable<(int LineNumber, SentencePair Pair)> ReadLines(string path, bool renameRepeatedIds)
    {
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        var renamedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNumber, line) in Utf8Lines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var root = Parse(path, lineNumber, line);
            var id = ReadId(path, lineNumber, root, firstLineById, renamedIds, renameRepeatedIds);
            var text1 = JsonLineFields.String(path, lineNumber, root, "text1", required: true)!;
            var text2 = JsonLineFields.String(path, lineNumber, root, "text2", required: true)!;
            var label = JsonLineFields.String(path, lineNumber, root, "label", required: false);
            var score = ReadScore(path, lineNumber, root);
            yield return (lineNumber, new SentencePair(id, text1, text2, label, score));
        }
    }

    private static JsonElement Parse(string path, int lineNumber, string line)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new BeirFormatException(path, lineNumber, $"invalid JSON: {exception.Message}", exception);
        }

        return root.ValueKind == JsonValueKind.Object
            ? root
            : throw new BeirFormatException(path, lineNumber, $"expected a JSON object, found {JsonLineFields.Describe(root.ValueKind)}");
    }

    private static string ReadId(string path, int lineNumber, JsonElement root, Dictionary<string, int> firstLineById, HashSet<string> renamedIds, bool renameRepeatedIds)
    {
        if (!root.TryGetProperty("id", out var value))
        {
            throw new BeirFormatException(path, lineNumber, "field 'id' is missing");
        }

        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => JsonLineFields.IntegerId(path, lineNumber, value, "id"),
            _ => throw new BeirFormatException(path, lineNumber, $"field 'id' must be a string or an integer, found {JsonLineFields.Describe(value.ValueKind)}"),
        };
        if (id.Length == 0)
        {
            throw new BeirFormatException(path, lineNumber, "field 'id' is empty");
        }

        if (firstLineById.TryAdd(id, lineNumber))
        {
            return id;
        }

        if (!renameRepeatedIds || renamedIds.Contains(id))
        {
            var given = renamedIds.Contains(id) ? " (the name given to that line's repeated id)" : "";
            throw new BeirFormatException(path, lineNumber, $"field 'id': duplicate id '{id}', first seen on line {firstLineById[id]}{given}");
        }

        for (var n = 2; ; n++)
        {
            var renamed = string.Create(CultureInfo.InvariantCulture, $"{id}#{n}");
            if (firstLineById.TryAdd(renamed, lineNumber))
            {
                renamedIds.Add(renamed);
                return renamed;
            }
        }
    }

    private static double? ReadScore(string path, int lineNumber, JsonElement root)
    {
        if (!root.TryGetProperty("score", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new BeirFormatException(path, lineNumber, $"field 'score' must be a number, found {JsonLineFields.Describe(value.ValueKind)}");
        }

        return value.TryGetDouble(out var score) && double.IsFinite(score)
            ? score
            : throw new BeirFormatException(path, lineNumber, $"field 'score' must be a finite number, found {value.GetRawText()}");
    }
}
