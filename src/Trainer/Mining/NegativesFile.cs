using System.Text;
using System.Text.Json;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Mining;

/// <summary>
/// <c>negatives.jsonl</c> (RunLayout.Negatives): a <see cref="NegativesHeader"/> line, then one line per query,
/// <c>{"query_id": "...", "negatives": ["passage id", ...]}</c> (given negatives first, then BM25's, best first). Written
/// one line at a time, so an interrupted <c>mine</c> leaves whole lines and at most one torn last line, which a resume drops.
/// </summary>
internal static class NegativesFile
{
    /// <summary>One query's line, newline included.</summary>
    public static byte[] Line(string queryId, IReadOnlyList<string> negatives)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query_id", queryId);
            writer.WriteStartArray("negatives");
            foreach (var negative in negatives)
            {
                writer.WriteStringValue(negative);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The header line, newline included.</summary>
    public static byte[] HeaderLine(NegativesHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            header.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>
    /// Prepares a resume: drops a torn last line (bytes after the last newline), then reads the header and the queries
    /// already written. Null when there is no complete header line (the file is then emptied and mining starts over).
    /// </summary>
    public static (NegativesHeader Header, IReadOnlyDictionary<string, IReadOnlyList<string>> Done)? ReadForResume(string path)
    {
        DropTornLastLine(path);
        if (new FileInfo(path).Length == 0)
        {
            return null;
        }

        return ReadLines(path, checkHeader: null, knownQueries: null, knownPassages: null);
    }

    /// <summary>
    /// Reads a finished file for <paramref name="corpus"/>: the header must carry the corpus's fingerprint, every line
    /// a known query and passages, and every training and held-out query must have its line. Errors are
    /// <see cref="InvalidDataException"/>s naming file, line and field.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string path, TrainingCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist; run rerank-train mine first.", path);
        }

        var queries = corpus.Train.Concat(corpus.HeldOut).Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
        var fingerprint = TrainingCorpusFingerprint.Compute(corpus);
        void CheckHeader(NegativesHeader header)
        {
            if (header.DataFingerprint != fingerprint)
            {
                throw new InvalidDataException(
                    $"{path}:1: field 'data_fingerprint': the negatives were mined from other data than --data {corpus.Source} reads now (or another held-out choice); run rerank-train mine again.");
            }
        }

        var (_, negatives) = ReadLines(path, CheckHeader, queries, corpus.Passages)
            ?? throw new InvalidDataException($"{path}:1: the file is empty; run rerank-train mine again.");
        var missing = queries.Count(id => !negatives.ContainsKey(id));
        return missing == 0
            ? negatives
            : throw new InvalidDataException($"{path}: {missing} of {queries.Count} queries have no line yet (mine was interrupted?); run rerank-train mine again to finish it.");
    }

    private static (NegativesHeader Header, IReadOnlyDictionary<string, IReadOnlyList<string>> Done)? ReadLines(
        string path, Action<NegativesHeader>? checkHeader, IReadOnlySet<string>? knownQueries, IReadOnlyDictionary<string, string>? knownPassages)
    {
        NegativesHeader? header = null;
        var done = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                header = NegativesHeader.Parse(path, line);
                checkHeader?.Invoke(header);
                continue;
            }

            var (queryId, negatives) = ParseLine(path, lineNumber, line);
            if (knownQueries is not null && !knownQueries.Contains(queryId))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: field 'query_id': '{queryId}' is not a training or held-out query of the data");
            }

            if (knownPassages is not null && negatives.FirstOrDefault(n => !knownPassages.ContainsKey(n)) is { } unknown)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: field 'negatives': '{unknown}' is not a passage of the data");
            }

            if (!done.TryAdd(queryId, negatives))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: field 'query_id': '{queryId}' has a line already");
            }
        }

        return header is null ? null : (header, done);
    }

    private static (string QueryId, IReadOnlyList<string> Negatives) ParseLine(string path, int lineNumber, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected a JSON object");
            }

            if (!root.TryGetProperty("query_id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: field 'query_id' is missing or not a string");
            }

            if (!root.TryGetProperty("negatives", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: field 'negatives' is missing or not an array");
            }

            var negatives = new List<string>(list.GetArrayLength());
            foreach (var item in list.EnumerateArray())
            {
                negatives.Add(item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw new InvalidDataException($"{path}:{lineNumber}: field 'negatives' must hold strings"));
            }

            return (id.GetString()!, negatives);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: invalid JSON: {exception.Message}", exception);
        }
    }

    private static void DropTornLastLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var end = stream.Length;
        var buffer = new byte[4096];
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, (int)(end - start));
            var newline = buffer.AsSpan(0, (int)(end - start)).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                stream.SetLength(start + newline + 1);
                return;
            }

            end = start;
        }

        stream.SetLength(0);
    }
}
