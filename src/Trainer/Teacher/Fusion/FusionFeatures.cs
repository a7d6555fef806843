using Rerank.LuceneBaseline.Indexing;
using Rerank.Trainer.Data;
using Rerank.Trainer.Mining;
using Rerank.Trainer.Pipeline;

namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// The fusion teacher's features of a (query, passage) pair: BM25 min-max normalised over the query's window (0 for a
/// passage outside it), then each encoder's cosine. The same normalisation as the sidecar's <c>linear</c> score mode, so
/// the teacher fuses what serving fuses.
/// </summary>
internal sealed class FusionFeatures
{
    /// <summary>Characters of a query BM25 reads, as the miner.</summary>
    private const int QueryChars = 2000;
    private const int EncodeChunk = 256;

    private readonly Dictionary<string, IReadOnlyList<string>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), double> _bm25 = [];
    private readonly List<Dictionary<string, float[]>> _queryVectors = [];
    private readonly List<Dictionary<string, float[]>> _passageVectors = [];

    private FusionFeatures(IReadOnlyList<string> names) => Names = names;

    /// <summary><c>bm25</c>, then each encoder's name.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Searches every query in <paramref name="queryIds"/> (the window), then encodes those queries and every passage of
    /// their windows and of <paramref name="pairs"/> with each encoder.
    /// </summary>
    public static FusionFeatures Build(
        TrainingCorpus corpus,
        Bm25Index index,
        IReadOnlyList<ITextEmbedder> embedders,
        IReadOnlyCollection<string> queryIds,
        IEnumerable<(string QueryId, string PassageId)> pairs,
        int window,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var features = new FusionFeatures(["bm25", .. embedders.Select(e => e.Name)]);
        var passages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var queryId in queryIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hits = index.Search(HardNegativeMiner.Truncate(corpus.Queries[queryId], QueryChars), window)
                .Where(h => corpus.Passages.ContainsKey(h.DocumentId))
                .ToList();
            features._windows[queryId] = [.. hits.Select(h => h.DocumentId)];
            if (hits.Count > 0)
            {
                var (min, max) = (hits.Min(h => h.Score), hits.Max(h => h.Score));
                foreach (var hit in hits)
                {
                    features._bm25[(queryId, hit.DocumentId)] = max > min ? (hit.Score - min) / (double)(max - min) : 1;
                    passages.Add(hit.DocumentId);
                }
            }
        }

        foreach (var (_, passageId) in pairs)
        {
            passages.Add(passageId);
        }

        var queryList = queryIds.ToList();
        var passageList = passages.Order(StringComparer.Ordinal).ToList();
        foreach (var embedder in embedders)
        {
            var started = DateTime.UtcNow;
            var progress = new StageProgress(error, StageProgress.IsTerminal(error), $"teacher fuse: {embedder.Name}", "texts", queryList.Count + passageList.Count, 0);
            features._queryVectors.Add(Encode(embedder, queryList, corpus.Queries, queries: true, progress, 0, cancellationToken));
            features._passageVectors.Add(Encode(embedder, passageList, corpus.Passages, queries: false, progress, queryList.Count, cancellationToken));
            progress.Finish();
            output.WriteLine($"teacher fuse: {embedder.Name}: {queryList.Count:N0} queries and {passageList.Count:N0} passages encoded ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
        }

        return features;
    }

    /// <summary>BM25's window of <paramref name="queryId"/>, best first.</summary>
    public IReadOnlyList<string> Window(string queryId) => _windows[queryId];

    /// <summary>The feature row of a pair whose query was searched and whose passage was encoded.</summary>
    public double[] Row(string queryId, string passageId)
    {
        var row = new double[Names.Count];
        row[0] = _bm25.GetValueOrDefault((queryId, passageId));
        for (var e = 0; e < _queryVectors.Count; e++)
        {
            row[e + 1] = Dot(_queryVectors[e][queryId], _passageVectors[e][passageId]);
        }

        return row;
    }

    private static Dictionary<string, float[]> Encode(ITextEmbedder embedder, List<string> ids, IReadOnlyDictionary<string, string> texts, bool queries, StageProgress progress, int before, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var start = 0; start < ids.Count; start += EncodeChunk)
        {
            var chunk = ids.GetRange(start, Math.Min(EncodeChunk, ids.Count - start));
            var encoded = embedder.Encode([.. chunk.Select(id => texts[id])], queries, cancellationToken);
            for (var i = 0; i < chunk.Count; i++)
            {
                vectors[chunk[i]] = encoded[i];
            }

            progress.Report(before + start + chunk.Count);
        }

        return vectors;
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
