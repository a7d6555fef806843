namespace Rerank.LuceneBaseline.Beir;

/// <summary>Graded relevance judgments of one split, by query and document, remembering where each was read.</summary>
public sealed class Qrels
{
    private readonly Dictionary<string, Dictionary<string, Judgment>> _judgments;

    internal Qrels(string filePath, Dictionary<string, Dictionary<string, Judgment>> judgments)
    {
        FilePath = filePath;
        _judgments = judgments;
        ByQuery = judgments.ToDictionary(
            q => q.Key,
            q => (IReadOnlyDictionary<string, int>)q.Value.ToDictionary(d => d.Key, d => d.Value.Grade, StringComparer.Ordinal),
            StringComparer.Ordinal);
        Count = judgments.Sum(q => q.Value.Count);
    }

    /// <summary>The file the judgments came from.</summary>
    public string FilePath { get; }

    /// <summary>Grades by query id, then document id. A grade &lt;= 0 means judged not relevant.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByQuery { get; }

    /// <summary>The number of judgments.</summary>
    public int Count { get; }

    /// <summary>The judged query ids.</summary>
    public IEnumerable<string> QueryIds => ByQuery.Keys;

    /// <summary>
    /// Throws <see cref="BeirFormatException"/> at the first line (in file order) whose query or document is not
    /// among the known ids; a null set is not checked.
    /// </summary>
    public void Validate(IReadOnlySet<string>? documentIds, IReadOnlySet<string>? queryIds)
    {
        var first = _judgments
            .SelectMany(q => q.Value.Select(d => (QueryId: q.Key, DocumentId: d.Key, d.Value.LineNumber)))
            .Where(j => queryIds?.Contains(j.QueryId) == false || documentIds?.Contains(j.DocumentId) == false)
            .OrderBy(j => j.LineNumber)
            .FirstOrDefault();
        if (first.QueryId is null)
        {
            return;
        }

        throw new BeirFormatException(
            FilePath,
            first.LineNumber,
            queryIds?.Contains(first.QueryId) != false
                ? $"corpus-id '{first.DocumentId}' is not in the corpus"
                : $"query-id '{first.QueryId}' is not in the queries file");
    }

    internal readonly record struct Judgment(int Grade, int LineNumber);
}
