using System.Globalization;
using System.Text.Json;

namespace Rerank.LuceneBaseline.Beir;

/// <summary>Reads the files of a BEIR collection, checking every line; errors are <see cref="BeirFormatException"/>.</summary>
/// <remarks>
/// JSON Lines: one object per line; blank lines are skipped (the format allows a trailing newline); a UTF-8 BOM
/// and CRLF line ends are accepted; fields other than the ones read are ignored. Every file must be valid UTF-8: a line
/// that is not is an error naming the file and line (<see cref="Utf8Lines"/>).
/// </remarks>
public static class BeirReader
{
    /// <summary>
    /// Streams <c>corpus.jsonl</c> one line at a time: <c>_id</c> (string, or an integer read as its decimal text),
    /// <c>text</c> (string), optional <c>title</c> (string or null). Duplicate ids are errors naming the first line.
    /// </summary>
    public static IEnumerable<BeirDocument> ReadCorpus(string path)
    {
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (lineNumber, root) in ReadJsonLines(path))
        {
            var id = ReadId(path, lineNumber, root, firstLineById);
            var text = JsonLineFields.String(path, lineNumber, root, "text", required: true)!;
            var title = JsonLineFields.String(path, lineNumber, root, "title", required: false) ?? "";
            yield return new BeirDocument(id, title, text);
        }
    }

    /// <summary>Reads <c>queries.jsonl</c>: <c>_id</c> and <c>text</c>, same rules as the corpus.</summary>
    public static IReadOnlyList<BeirQuery> ReadQueries(string path)
    {
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        var queries = new List<BeirQuery>();
        foreach (var (lineNumber, root) in ReadJsonLines(path))
        {
            var id = ReadId(path, lineNumber, root, firstLineById);
            queries.Add(new BeirQuery(id, JsonLineFields.String(path, lineNumber, root, "text", required: true)!));
        }

        return queries;
    }

    /// <summary>
    /// Reads <c>qrels/&lt;split&gt;.tsv</c>: a header line, then <c>query-id TAB corpus-id TAB score</c> with an integer
    /// score. Blank lines are skipped; a repeated (query, document) pair is an error naming the earlier line.
    /// </summary>
    public static Qrels ReadQrels(string path)
    {
        var judgments = new Dictionary<string, Dictionary<string, Qrels.Judgment>>(StringComparer.Ordinal);
        var lineNumber = 0;
        var sawHeader = false;
        foreach (var (number, line) in Utf8Lines.Read(path))
        {
            lineNumber = number;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (!sawHeader)
            {
                sawHeader = true;
                if (columns.Length == 3 && int.TryParse(columns[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    throw new BeirFormatException(path, lineNumber, "the header line (query-id, corpus-id, score) is missing; this line is a judgment");
                }

                if (columns.Length != 3)
                {
                    throw new BeirFormatException(path, lineNumber, $"the header must have 3 tab-separated columns (query-id, corpus-id, score), found {columns.Length}");
                }

                continue;
            }

            if (columns.Length != 3)
            {
                throw new BeirFormatException(path, lineNumber, $"expected 3 tab-separated columns (query-id, corpus-id, score), found {columns.Length}");
            }

            var (queryId, documentId, scoreText) = (columns[0].Trim(), columns[1].Trim(), columns[2].Trim());
            if (queryId.Length == 0 || documentId.Length == 0)
            {
                throw new BeirFormatException(path, lineNumber, queryId.Length == 0 ? "query-id is empty" : "corpus-id is empty");
            }

            if (!int.TryParse(scoreText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var score))
            {
                throw new BeirFormatException(path, lineNumber, $"score '{scoreText}' is not an integer");
            }

            if (!judgments.TryGetValue(queryId, out var forQuery))
            {
                judgments[queryId] = forQuery = new Dictionary<string, Qrels.Judgment>(StringComparer.Ordinal);
            }

            if (forQuery.TryGetValue(documentId, out var earlier))
            {
                throw new BeirFormatException(path, lineNumber, $"query '{queryId}' and document '{documentId}' were already judged on line {earlier.LineNumber}");
            }

            forQuery[documentId] = new Qrels.Judgment(score, lineNumber);
        }

        if (!sawHeader)
        {
            throw new BeirFormatException(path, Math.Max(lineNumber, 1), "the file is empty; expected a header line and judgments");
        }

        return new Qrels(path, judgments);
    }

    private static IEnumerable<(int LineNumber, JsonElement Root)> ReadJsonLines(string path)
    {
        foreach (var (lineNumber, line) in Utf8Lines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new BeirFormatException(path, lineNumber, $"invalid JSON: {exception.Message}", exception);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BeirFormatException(path, lineNumber, $"expected a JSON object, found {JsonLineFields.Describe(root.ValueKind)}");
            }

            yield return (lineNumber, root);
        }
    }

    private static string ReadId(string path, int lineNumber, JsonElement root, Dictionary<string, int> firstLineById)
    {
        if (!root.TryGetProperty("_id", out var value))
        {
            throw new BeirFormatException(path, lineNumber, "field '_id' is missing");
        }

        var id = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => JsonLineFields.IntegerId(path, lineNumber, value, "_id"),
            _ => throw new BeirFormatException(path, lineNumber, $"field '_id' must be a string or an integer, found {JsonLineFields.Describe(value.ValueKind)}"),
        };
        if (id.Length == 0)
        {
            throw new BeirFormatException(path, lineNumber, "field '_id' is empty");
        }

        if (!firstLineById.TryAdd(id, lineNumber))
        {
            throw new BeirFormatException(path, lineNumber, $"duplicate _id '{id}', first seen on line {firstLineById[id]}");
        }

        return id;
    }
}
