using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Scoring;
using Rerank.LuceneBaseline.Search;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Rerank.LuceneBaseline.Indexing;

/// <summary>
/// A BM25 index of one corpus on disk: builds it, reuses it while it is up to date, and searches it.
/// </summary>
/// <remarks>
/// <para>Lifecycle (<see cref="OpenOrBuild"/>):</para>
/// <list type="number">
/// <item>The fingerprint is the SHA-256 of the corpus file's bytes plus the settings that shape the index
/// (fields, separator, analyzer, format version).</item>
/// <item>If the directory holds a committed index whose commit data carries the same fingerprint, it is opened.</item>
/// <item>Otherwise the corpus is streamed into a fresh index (one writer thread, so Lucene doc ids follow corpus
/// order), merged to one segment and committed together with the fingerprint; a failure rolls back, leaving
/// whatever was committed before.</item>
/// </list>
/// <para>BM25 (k1, b and the scoring from the options) is set on the writer and on the searcher: Lucene 4.8 defaults to TF-IDF.
/// Search methods are thread-safe. This instance owns and disposes the directory, reader and analyzer.</para>
/// </remarks>
public sealed class Bm25Index : IDisposable
{
    /// <summary>Bump when the index layout changes, so older indices are rebuilt.</summary>
    private const string FormatVersion = "1";
    private const string FingerprintKey = "rerank.fingerprint";
    private const string DocumentCountKey = "rerank.documents";

    private readonly LuceneDirectory _directory;
    private readonly Analyzer _analyzer;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly string[] _idsByDoc;
    private readonly Bm25IndexOptions _options;

    private Bm25Index(
        string path,
        LuceneDirectory directory,
        Analyzer analyzer,
        Bm25IndexOptions options,
        IndexOpenStatus status,
        string fingerprint,
        TimeSpan buildTime)
    {
        IndexPath = path;
        Status = status;
        Fingerprint = fingerprint;
        BuildTime = buildTime;
        _directory = directory;
        _analyzer = analyzer;
        _options = options;
        _reader = DirectoryReader.Open(directory);
        _searcher = new IndexSearcher(_reader) { Similarity = Bm25Similarities.Create(options.Scoring, options.K1, options.B) };
        _idsByDoc = new string[_reader.MaxDoc];
        var fieldsToLoad = new HashSet<string> { CorpusFields.Id };
        for (var doc = 0; doc < _idsByDoc.Length; doc++)
        {
            _idsByDoc[doc] = _reader.Document(doc, fieldsToLoad).Get(CorpusFields.Id);
        }

        DocumentIds = _idsByDoc.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The folder that holds the index.</summary>
    public string IndexPath { get; }

    /// <summary>Whether the index was reused, built or rebuilt when opened.</summary>
    public IndexOpenStatus Status { get; }

    /// <summary>The hex fingerprint of corpus content and index settings this index was built for.</summary>
    public string Fingerprint { get; }

    /// <summary>Time spent building; zero when reused.</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>Number of indexed documents.</summary>
    public int DocumentCount => _idsByDoc.Length;

    /// <summary>The ids of every indexed document.</summary>
    public IReadOnlySet<string> DocumentIds { get; }

    /// <summary>The options the index was opened with.</summary>
    public Bm25IndexOptions Options => _options;

    /// <summary>
    /// Opens the index in <paramref name="indexPath"/> if it is up to date with the corpus file and the options,
    /// otherwise builds it from <paramref name="documents"/> (enumerated only when a build is needed).
    /// </summary>
    /// <param name="indexPath">Folder of the index; created when missing.</param>
    /// <param name="corpusPath">The corpus file whose bytes the fingerprint covers.</param>
    /// <param name="documents">The corpus's documents, normally streamed from <paramref name="corpusPath"/>.</param>
    /// <param name="options">Fields, analyzer and BM25 parameters; validated here.</param>
    public static Bm25Index OpenOrBuild(string indexPath, string corpusPath, IEnumerable<BeirDocument> documents, Bm25IndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fingerprint = ComputeFingerprint(corpusPath, options);

        System.IO.Directory.CreateDirectory(indexPath);
        var directory = FSDirectory.Open(indexPath);
        var analyzer = AnalyzerFactory.Create(options.Analyzer);
        try
        {
            var existing = ReadCommittedFingerprint(directory);
            if (existing == fingerprint)
            {
                return new Bm25Index(indexPath, directory, analyzer, options, IndexOpenStatus.Reused, fingerprint, TimeSpan.Zero);
            }

            var stopwatch = Stopwatch.StartNew();
            Build(directory, analyzer, documents, options, fingerprint);
            var status = existing is null ? IndexOpenStatus.Built : IndexOpenStatus.Rebuilt;
            return new Bm25Index(indexPath, directory, analyzer, options, status, fingerprint, stopwatch.Elapsed);
        }
        catch
        {
            analyzer.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The top <paramref name="topK"/> documents for one query, best first; empty when the query has no terms.</summary>
    public IReadOnlyList<ScoredDocument> Search(string queryText, int topK, Bm25SearchMode mode = Bm25SearchMode.Flat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var query = BuildQuery(queryText, mode);
        if (query is null)
        {
            return [];
        }

        var hits = _searcher.Search(query, topK).ScoreDocs;
        var results = new ScoredDocument[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            results[i] = new ScoredDocument(_idsByDoc[hits[i].Doc], hits[i].Score);
        }

        return results;
    }

    /// <summary>
    /// Searches every query, <paramref name="maxDegreeOfParallelism"/> at a time, and returns the rankings by query id.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> SearchAll(
        IReadOnlyList<BeirQuery> queries,
        int topK,
        Bm25SearchMode mode = Bm25SearchMode.Flat,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var rankings = new IReadOnlyList<ScoredDocument>[queries.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, queries.Count, parallel, i => rankings[i] = Search(queries[i].Text, topK, mode));

        var byQuery = new Dictionary<string, IReadOnlyList<ScoredDocument>>(queries.Count, StringComparer.Ordinal);
        for (var i = 0; i < queries.Count; i++)
        {
            byQuery[queries[i].Id] = rankings[i];
        }

        return byQuery;
    }

    /// <summary>
    /// The Lucene query for <paramref name="queryText"/>: a disjunction of its analysed terms (Elasticsearch's
    /// <c>match</c> with operator <c>or</c>); a term repeated n times is one clause boosted n times, which scores the
    /// same under BM25 and keeps long queries under the clause limit. Null when the text has no terms.
    /// </summary>
    internal Query? BuildQuery(string queryText, Bm25SearchMode mode)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        if (mode == Bm25SearchMode.Flat)
        {
            return BuildTermDisjunction(CorpusFields.Contents, queryText);
        }

        // Multi-field: per-field disjunctions summed (Anserini multifield, every field weight 1).
        var combined = new BooleanQuery(disableCoord: true);
        foreach (var field in _options.Fields)
        {
            var perField = BuildTermDisjunction(CorpusFields.LuceneField(field), queryText);
            if (perField is not null)
            {
                combined.Add(perField, Occur.SHOULD);
            }
        }

        return combined.Clauses.Count == 0 ? null : combined;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }

    private BooleanQuery? BuildTermDisjunction(string field, string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var term in AnalyzerFactory.Tokenize(_analyzer, field, text))
        {
            if (counts.TryGetValue(term, out var count))
            {
                counts[term] = count + 1;
            }
            else
            {
                counts[term] = 1;
                order.Add(term);
            }
        }

        if (order.Count == 0)
        {
            return null;
        }

        var query = new BooleanQuery(disableCoord: true);
        foreach (var term in order)
        {
            query.Add(new TermQuery(new Term(field, term)) { Boost = counts[term] }, Occur.SHOULD);
        }

        return query;
    }

    private static void Build(LuceneDirectory directory, Analyzer analyzer, IEnumerable<BeirDocument> documents, Bm25IndexOptions options, string fingerprint)
    {
        var config = new IndexWriterConfig(AnalyzerFactory.Version, analyzer)
        {
            OpenMode = OpenMode.CREATE,
            Similarity = Bm25Similarities.Create(options.Scoring, options.K1, options.B),
            RAMBufferSizeMB = 256,
            // Log merges only join adjacent segments, so doc ids keep corpus order and ties rank reproducibly.
            MergePolicy = new LogByteSizeMergePolicy(),
        };

        using var writer = new IndexWriter(directory, config);
        try
        {
            var idField = new StringField(CorpusFields.Id, "", Field.Store.YES);
            var contentsField = new TextField(CorpusFields.Contents, "", Field.Store.NO);
            var perField = options.Fields.Select(f => new TextField(CorpusFields.LuceneField(f), "", Field.Store.NO)).ToArray();
            var document = new Document { idField, contentsField };
            foreach (var field in perField)
            {
                document.Add(field);
            }

            var values = new List<string>(options.Fields.Count);
            var count = 0;
            foreach (var source in documents)
            {
                values.Clear();
                for (var i = 0; i < options.Fields.Count; i++)
                {
                    var value = CorpusFields.Value(source, options.Fields[i]);
                    perField[i].SetStringValue(value);
                    if (value.Length > 0)
                    {
                        values.Add(value);
                    }
                }

                idField.SetStringValue(source.Id);
                contentsField.SetStringValue(string.Join(options.Separator, values));
                writer.AddDocument(document);
                count++;
            }

            writer.ForceMerge(1);
            writer.SetCommitData(new Dictionary<string, string>
            {
                [FingerprintKey] = fingerprint,
                [DocumentCountKey] = count.ToString(CultureInfo.InvariantCulture),
            });
            writer.Commit();
        }
        catch
        {
            // Without this, disposing the writer would commit a half-built index.
            writer.Rollback();
            throw;
        }
    }

    private static string? ReadCommittedFingerprint(LuceneDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return null;
        }

        var infos = new SegmentInfos();
        infos.Read(directory);
        return infos.UserData.TryGetValue(FingerprintKey, out var value) ? value : "";
    }

    private static string ComputeFingerprint(string corpusPath, Bm25IndexOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var corpus = File.OpenRead(corpusPath))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = corpus.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"\nformat={FormatVersion};{options.IndexSettingsKey}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
