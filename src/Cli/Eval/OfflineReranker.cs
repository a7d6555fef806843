using System.Diagnostics;
using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Search;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>
/// Reranks first-stage windows in process the way the sidecar does (docs/search.md): passage texts composed as the
/// write path composes them, projections stored under the index's encoding, one batched score per query, then
/// <see cref="RerankScoring.Rerank"/>. Not thread-safe; the model is the caller's.
/// </summary>
internal sealed class OfflineReranker(StudentModel model, RerankSettings settings, TextWriter progress) : IWindowReranker
{
    /// <summary>Passages encoded per call to the model (progress is reported between calls).</summary>
    private const int PassageChunk = 256;

    /// <summary>Queries encoded per call to the model.</summary>
    private const int QueryChunk = 256;

    public string? ModelId => model.ModelId;

    /// <summary>Passages encoded by the last <see cref="Rerank"/>.</summary>
    public int PassagesEncoded { get; private set; }

    public TimeSpan EncodeTime { get; private set; }

    public TimeSpan ScoreTime { get; private set; }

    /// <remarks>
    /// 1. Collect the documents of every window, and compose their passage texts from the corpus (only those).
    /// 2. Encode those passages, and store each projection as the sidecar's index stores it (quantised and read back).
    /// 3. Encode the queries with a window.
    /// 4. Per query: score its window in one call, in first-stage order, and reorder it with the score mode.
    /// </remarks>
    /// <param name="dataset">The collection: its corpus gives the passages, its queries the query texts.</param>
    /// <param name="firstStage">Candidates by query id, best first; each list is the window (already cut).</param>
    /// <param name="firstStageSource">Names the first stage in errors (a file, or "BM25").</param>
    /// <param name="cancellationToken">Stops between model calls.</param>
    /// <returns>The reranked windows by query id, with the score mode's scores (never increasing down a list).</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Rerank(
        BeirDataset dataset, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage, string firstStageSource, CancellationToken cancellationToken)
    {
        // 1.
        var (ids, texts) = PassageTexts(dataset, firstStage, settings, model.ModelId, firstStageSource);

        // 2.
        var stopwatch = Stopwatch.StartNew();
        var projections = new Dictionary<string, float[]>(ids.Count, StringComparer.Ordinal);
        var reporter = new ProgressReporter(progress, "encoding passages", ids.Count);
        for (var start = 0; start < ids.Count; start += PassageChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(PassageChunk, ids.Count - start);
            var encoded = model.EncodePassages(texts.GetRange(start, count), cancellationToken);
            for (var i = 0; i < count; i++)
            {
                projections[ids[start + i]] = Stored(encoded.Projection(i).Span, settings.ProjectionEncoding);
            }

            reporter.Report(start + count);
        }

        PassagesEncoded = ids.Count;

        // 3.
        var queries = dataset.Queries.Where(q => firstStage.TryGetValue(q.Id, out var w) && w.Count > 0).ToArray();
        var dim = model.Dim;
        var queryEmbeddings = new float[queries.Length * dim];
        var queryReporter = new ProgressReporter(progress, "encoding queries", queries.Length);
        for (var start = 0; start < queries.Length; start += QueryChunk)
        {
            var count = Math.Min(QueryChunk, queries.Length - start);
            var embeddings = model.EncodeQueries([.. queries.Skip(start).Take(count).Select(q => q.Text)], cancellationToken);
            embeddings.CopyTo(queryEmbeddings, start * dim);
            queryReporter.Report(start + count);
        }

        EncodeTime = stopwatch.Elapsed;

        // 4.
        stopwatch.Restart();
        var reranked = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        var h = model.ProjectionDim;
        for (var q = 0; q < queries.Length; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = firstStage[queries[q].Id];
            var batch = new float[window.Count * h];
            var firstStageScores = new float[window.Count];
            for (var i = 0; i < window.Count; i++)
            {
                projections[window[i].DocumentId].CopyTo(batch, i * h);
                firstStageScores[i] = window[i].Score;
            }

            var logits = new float[window.Count];
            model.Score(queryEmbeddings.AsMemory(q * dim, dim), batch, settings.Branch, logits);
            var result = RerankScoring.Rerank(firstStageScores, logits, settings.ScoreMode, settings.LinearWeight, settings.RrfK);
            reranked[queries[q].Id] = [.. result.Order.Select((candidate, position) => new ScoredDocument(window[candidate].DocumentId, result.Scores[position]))];
        }

        ScoreTime = stopwatch.Elapsed;
        return reranked;
    }

    /// <summary>
    /// The distinct documents of every window and their passage texts, composed from the corpus as the write path
    /// composes them (only those documents are read).
    /// </summary>
    /// <exception cref="InvalidDataException">A candidate is not in the corpus; the message names the first stage and the document.</exception>
    public static (List<string> Ids, List<string> Texts) PassageTexts(
        BeirDataset dataset, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage, RerankSettings settings, string modelId, string firstStageSource)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var window in firstStage.Values)
        {
            foreach (var candidate in window)
            {
                needed.Add(candidate.DocumentId);
            }
        }

        var config = new RerankIndexConfig { ModelId = modelId, TextFields = settings.TextFields, Separator = settings.Separator };
        var ids = new List<string>(needed.Count);
        var texts = new List<string>(needed.Count);
        foreach (var document in dataset.ReadCorpus())
        {
            if (needed.Remove(document.Id))
            {
                ids.Add(document.Id);
                texts.Add(PassageText.Compose(new JsonObject { ["title"] = document.Title, ["text"] = document.Text }, config));
            }
        }

        if (needed.Count > 0)
        {
            var missing = needed.Order(StringComparer.Ordinal).First();
            throw new InvalidDataException($"{firstStageSource}: document '{missing}' is not in {dataset.CorpusPath} ({needed.Count} candidate documents are not)");
        }

        return (ids, texts);
    }

    /// <summary>The projection as the sidecar reads it back from the index: quantised under <paramref name="encoding"/> and decoded.</summary>
    public static float[] Stored(ReadOnlySpan<float> projection, ProjectionEncoding encoding)
    {
        var values = new float[projection.Length];
        switch (encoding)
        {
            case ProjectionEncoding.Float32:
                projection.CopyTo(values);
                return values;
            case ProjectionEncoding.Float16:
                ProjectionCodec.TryDecode(ProjectionCodec.EncodeFloat16(projection), encoding, values);
                return values;
            case ProjectionEncoding.Int8:
                ProjectionCodec.TryDecode(ProjectionCodec.EncodeInt8(projection), encoding, values);
                return values;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null);
        }
    }
}
