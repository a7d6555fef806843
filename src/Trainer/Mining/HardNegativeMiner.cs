using System.Globalization;
using System.Text.Json;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;
using Rerank.Model.Runtime;
using Rerank.Trainer.Data;
using Rerank.Trainer.Pipeline;

namespace Rerank.Trainer.Mining;

/// <summary>
/// <c>rerank-train mine</c>: BM25 hard negatives for every training and held-out query (docs/training.md, "Mining hard
/// negatives").
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The BM25 index lives in <c>&lt;run&gt;/bm25/index</c> and is reused while the corpus and settings are unchanged
/// (<see cref="Bm25Index.OpenOrBuild"/>). A BEIR folder's corpus.jsonl is indexed as it is (title and text joined by a
/// space, the passage text); pair data's passages are first written to <c>&lt;run&gt;/bm25/passages.jsonl</c>.</item>
/// <item>Each query's text is cut to <see cref="MiningSettings.QueryChars"/> characters and searched (Elasticsearch's
/// <c>match</c>, operator or, standard analyzer, BM25 k1 1.2, b 0.75).</item>
/// <item>Removed from the hits: the query's positives, passages whose text equals a positive's or the query's own text
/// (symmetric data repeats sentences under other ids), and the given negatives. The first <see cref="MiningSettings.Top"/>
/// left are the mined negatives; the line lists the given negatives (NLI contradictions) first, then them.</item>
/// <item>Lines are appended in query order (training, then held-out) and flushed every chunk; a rerun skips the queries
/// already written after checking the header against this run's (a difference is refused by name).</item>
/// </list>
/// </remarks>
internal static class HardNegativeMiner
{
    private const int ChunkSize = 256;

    public static MiningSummary Mine(
        TrainingCorpus corpus,
        RunLayout layout,
        MiningSettings settings,
        TextWriter output,
        TextWriter error,
        bool terminal,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        settings.Validate();
        Directory.CreateDirectory(layout.Root);

        var (corpusPath, options) = IndexSource(corpus, layout);
        var header = new NegativesHeader(
            corpus.Name,
            corpus.Source,
            TrainingCorpusFingerprint.Compute(corpus),
            settings.Top,
            settings.QueryChars,
            string.Create(CultureInfo.InvariantCulture, $"fields={string.Join(',', options.Fields)};analyzer={options.Analyzer.ToString().ToLowerInvariant()};k1={options.K1};b={options.B}"));

        var done = ResumeOrStart(layout.Negatives, header);
        var queries = corpus.Train.Concat(corpus.HeldOut).ToList();
        var todo = queries.Where(q => !done.Contains(q.QueryId)).ToList();
        if (done.Count > 0)
        {
            output.WriteLine($"mine: resuming: {done.Count} of {queries.Count} queries already in {layout.Negatives}");
        }

        using var index = OpenIndex(corpusPath, options, layout);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mine: BM25 index of {index.DocumentCount:N0} passages {index.Status.ToString().ToLowerInvariant()} ({index.BuildTime.TotalSeconds:F1} s)"));

        var fewer = 0;
        var progress = new StageProgress(error, terminal, "mine", "queries", queries.Count, done.Count);
        using (var file = new FileStream(layout.Negatives, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            if (file.Length == 0)
            {
                file.Write(NegativesFile.HeaderLine(header));
            }

            var lines = new byte[ChunkSize][];
            for (var start = 0; start < todo.Count; start += ChunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(ChunkSize, todo.Count - start);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken };
                var shortCount = 0;
                Parallel.For(0, count, parallel, i =>
                {
                    var negatives = NegativesFor(corpus, index, todo[start + i], settings, out var mined);
                    if (mined < settings.Top)
                    {
                        Interlocked.Increment(ref shortCount);
                    }

                    lines[i] = NegativesFile.Line(todo[start + i].QueryId, negatives);
                });

                for (var i = 0; i < count; i++)
                {
                    file.Write(lines[i]);
                }

                file.Flush(flushToDisk: false);
                fewer += shortCount;
                progress.Report(done.Count + start + count);
            }
        }

        progress.Finish();
        return new MiningSummary(queries.Count, done.Count, todo.Count, fewer, index.Status);
    }

    /// <summary>One query's line: its given negatives, then the first <c>top</c> BM25 hits that survive the filters (remarks, step 3).</summary>
    internal static IReadOnlyList<string> NegativesFor(TrainingCorpus corpus, Bm25Index index, TrainingQuery query, MiningSettings settings, out int mined)
    {
        var positives = query.Positives.ToHashSet(StringComparer.Ordinal);
        var queryText = corpus.Queries[query.QueryId];
        var excludedTexts = query.Positives.Select(p => corpus.Passages[p]).Append(queryText).ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in query.GivenNegatives)
        {
            if (!positives.Contains(given) && taken.Add(given))
            {
                result.Add(given);
            }
        }

        mined = 0;
        // Room for every hit the filters may remove: the positives, the given negatives and some repeated texts.
        var hits = index.Search(Truncate(queryText, settings.QueryChars), settings.Top + positives.Count + result.Count + 10);
        foreach (var hit in hits)
        {
            if (mined == settings.Top)
            {
                break;
            }

            if (positives.Contains(hit.DocumentId) || !taken.Add(hit.DocumentId)
                || !corpus.Passages.TryGetValue(hit.DocumentId, out var text) || excludedTexts.Contains(text))
            {
                continue;
            }

            result.Add(hit.DocumentId);
            mined++;
        }

        return result;
    }

    /// <summary>The first <paramref name="chars"/> UTF-16 code units of <paramref name="text"/>, one fewer where the cut would split a surrogate pair.</summary>
    internal static string Truncate(string text, int chars)
    {
        if (text.Length <= chars)
        {
            return text;
        }

        return char.IsHighSurrogate(text[chars - 1]) ? text[..(chars - 1)] : text[..chars];
    }

    /// <summary>The run's BM25 index of <paramref name="corpus"/> (built once, reused while corpus and settings are unchanged).</summary>
    internal static Bm25Index OpenIndex(TrainingCorpus corpus, RunLayout layout)
    {
        var (corpusPath, options) = IndexSource(corpus, layout);
        return OpenIndex(corpusPath, options, layout);
    }

    private static Bm25Index OpenIndex(string corpusPath, Bm25IndexOptions options, RunLayout layout) =>
        Bm25Index.OpenOrBuild(Path.Combine(layout.Root, "bm25", "index"), corpusPath, ReadDocuments(corpusPath), options);

    private static (string CorpusPath, Bm25IndexOptions Options) IndexSource(TrainingCorpus corpus, RunLayout layout)
    {
        var beirCorpus = Path.Combine(corpus.Source, "corpus.jsonl");
        if (corpus.Branch == StudentBranch.Asymmetric && Directory.Exists(corpus.Source) && File.Exists(beirCorpus))
        {
            return (beirCorpus, new Bm25IndexOptions());
        }

        // Pair data: its passages (text2s) as a one-field corpus, rewritten each run (small); the index fingerprint hashes
        // the bytes, so the same passages reuse the index.
        var folder = Path.Combine(layout.Root, "bm25");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "passages.jsonl");
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (var (id, text) in corpus.Passages)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    writer.WriteStartObject();
                    writer.WriteString("_id", id);
                    writer.WriteString("text", text);
                    writer.WriteEndObject();
                }

                stream.WriteByte((byte)'\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
        return (path, new Bm25IndexOptions { Fields = [CorpusFields.Text] });
    }

    private static IEnumerable<BeirDocument> ReadDocuments(string corpusPath) => BeirReader.ReadCorpus(corpusPath);

    private static HashSet<string> ResumeOrStart(string path, NegativesHeader header)
    {
        if (!File.Exists(path))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        if (NegativesFile.ReadForResume(path) is not { } existing)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        if (existing.Header.Difference(header) is { } difference)
        {
            throw new InvalidDataException(
                $"{path}:1: field {difference}: delete the file to mine again, or rerun with the parameters it was mined with.");
        }

        return existing.Done.Keys.ToHashSet(StringComparer.Ordinal);
    }
}
