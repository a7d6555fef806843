namespace Rerank.LuceneBaseline.Beir;

/// <summary>
/// A BEIR collection folder opened for one split: queries and qrels loaded and checked against each other; the
/// corpus streamed on demand (it can be far larger than memory).
/// </summary>
public sealed class BeirDataset
{
    private BeirDataset(string directory, string split, Qrels qrels, IReadOnlyList<BeirQuery> queries)
    {
        Directory = directory;
        Split = split;
        Qrels = qrels;
        Queries = queries;
    }

    /// <summary>The collection folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The folder's name, used as the collection's name.</summary>
    public string Name => Path.GetFileName(Directory);

    /// <summary>The split opened, e.g. <c>test</c>.</summary>
    public string Split { get; }

    /// <summary><c>corpus.jsonl</c> in the folder.</summary>
    public string CorpusPath => Path.Combine(Directory, "corpus.jsonl");

    /// <summary><c>queries.jsonl</c> in the folder.</summary>
    public string QueriesPath => Path.Combine(Directory, "queries.jsonl");

    /// <summary><c>qrels/&lt;split&gt;.tsv</c> in the folder.</summary>
    public string QrelsPath => Path.Combine(Directory, "qrels", Split + ".tsv");

    /// <summary>The split's judgments.</summary>
    public Qrels Qrels { get; }

    /// <summary>The queries judged in this split, in queries.jsonl order (BEIR keeps only these).</summary>
    public IReadOnlyList<BeirQuery> Queries { get; }

    /// <summary>
    /// Opens <paramref name="directory"/> for <paramref name="split"/>. A missing folder or file is a
    /// <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> naming it (and, for a missing
    /// split, the splits there are); a qrel naming a query not in queries.jsonl is a <see cref="BeirFormatException"/>.
    /// </summary>
    public static BeirDataset Open(string directory, string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"Collection folder '{full}' does not exist.");
        }

        foreach (var file in new[] { "corpus.jsonl", "queries.jsonl" })
        {
            if (!File.Exists(Path.Combine(full, file)))
            {
                throw new FileNotFoundException($"'{full}' is not a BEIR folder: {file} is missing.", Path.Combine(full, file));
            }
        }

        var qrelsPath = Path.Combine(full, "qrels", split + ".tsv");
        if (!File.Exists(qrelsPath))
        {
            var qrelsDir = Path.Combine(full, "qrels");
            var available = System.IO.Directory.Exists(qrelsDir)
                ? System.IO.Directory.GetFiles(qrelsDir, "*.tsv").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()
                : [];
            throw new FileNotFoundException(
                $"Split '{split}' not found: {qrelsPath} is missing; available splits: {(available.Length == 0 ? "none" : string.Join(", ", available))}.",
                qrelsPath);
        }

        var qrels = BeirReader.ReadQrels(qrelsPath);
        var allQueries = BeirReader.ReadQueries(Path.Combine(full, "queries.jsonl"));
        var queryIds = allQueries.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);

        // Documents are checked once the corpus has been read (see Qrels.Validate); here only queries.
        qrels.Validate(documentIds: null, queryIds);
        var judged = qrels.ByQuery;
        return new BeirDataset(full, split, qrels, [.. allQueries.Where(q => judged.ContainsKey(q.Id))]);
    }

    /// <summary>Streams the corpus, validating each line.</summary>
    public IEnumerable<BeirDocument> ReadCorpus() => BeirReader.ReadCorpus(CorpusPath);
}
