using System.Globalization;
using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>TREC run files: one line per retrieved document, <c>qid Q0 docid rank score tag</c>.</summary>
public static class TrecRunFile
{
    /// <summary>
    /// Writes <paramref name="run"/>: queries in ordinal id order, each ranking in its given order with ranks from 1,
    /// scores in round-trip invariant format.
    /// </summary>
    public static void Write(TextWriter writer, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> run, string tag)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        foreach (var (queryId, ranking) in run.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{queryId} Q0 {ranking[i].DocumentId} {i + 1} {ranking[i].Score:R} {tag}\n"));
            }
        }
    }

    /// <summary>
    /// Reads a run file (columns separated by spaces or tabs); each query's documents are returned in rank order.
    /// A malformed line is a <see cref="FormatException"/> naming the file and line.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Read(string path)
    {
        var byQuery = new Dictionary<string, List<(int Rank, ScoredDocument Document)>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var columns = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length != 6)
            {
                throw new FormatException($"{path}:{lineNumber}: expected 6 columns (qid Q0 docid rank score tag), found {columns.Length}");
            }

            if (!int.TryParse(columns[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rank))
            {
                throw new FormatException($"{path}:{lineNumber}: rank '{columns[3]}' is not an integer");
            }

            if (!float.TryParse(columns[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !float.IsFinite(score))
            {
                throw new FormatException($"{path}:{lineNumber}: score '{columns[4]}' is not a finite number");
            }

            if (!byQuery.TryGetValue(columns[0], out var list))
            {
                byQuery[columns[0]] = list = [];
            }

            list.Add((rank, new ScoredDocument(columns[2], score)));
        }

        return byQuery.ToDictionary(
            q => q.Key,
            q => (IReadOnlyList<ScoredDocument>)[.. q.Value.OrderBy(d => d.Rank).Select(d => d.Document)],
            StringComparer.Ordinal);
    }
}
