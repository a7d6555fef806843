using System.Diagnostics;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Search;
using Rerank.Model.Bundle;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>
/// The bi-encoder baseline of <c>eval rerank --baseline cosine</c>: each window reordered by the cosine of the
/// backbone's own pooled, L2-normalised embeddings of query and passage (what a user of a plain bi-encoder gets), on
/// the same candidates and passage texts as the student. Not thread-safe; the encoder is the caller's.
/// </summary>
/// <remarks>
/// 1. Collect the documents of every window and compose their passage texts as <see cref="OfflineReranker"/> does.
/// 2. Encode them under <see cref="BiEncoderCheckpoint.PassageLimits"/> (no prefix, at most the baseline's tokens).
/// 3. Encode the queries under <see cref="BiEncoderCheckpoint.QueryLimits"/> (the query prefix, if any).
/// 4. Per query: the dot products of unit vectors are the cosines; they stand where the student's logits would in
///    <see cref="RerankScoring.Rerank"/>, so <c>--score-mode model</c> orders by cosine and <c>linear</c> is the
///    min-max fusion of cosine and the first stage.
/// </remarks>
internal sealed class CosineReranker(BiEncoder encoder, BiEncoderCheckpoint baseline, RerankSettings settings, TextWriter progress) : IWindowReranker
{
    /// <summary>Texts encoded per call (progress is reported between calls).</summary>
    private const int Chunk = 256;

    public string? ModelId => baseline.ModelId;

    public int PassagesEncoded { get; private set; }

    public TimeSpan EncodeTime { get; private set; }

    public TimeSpan ScoreTime { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Rerank(
        BeirDataset dataset, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage, string firstStageSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(firstStage);

        // 1.
        var (ids, texts) = OfflineReranker.PassageTexts(dataset, firstStage, settings, baseline.ModelId, firstStageSource);

        // 2.
        var stopwatch = Stopwatch.StartNew();
        var dim = encoder.Dim;
        var passages = Encode(texts, baseline.PassageLimits, "encoding passages", cancellationToken);
        var row = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            row[ids[i]] = i;
        }

        PassagesEncoded = ids.Count;

        // 3.
        var queries = dataset.Queries.Where(q => firstStage.TryGetValue(q.Id, out var w) && w.Count > 0).ToArray();
        var queryEmbeddings = Encode([.. queries.Select(q => q.Text)], baseline.QueryLimits, "encoding queries", cancellationToken);
        EncodeTime = stopwatch.Elapsed;

        // 4.
        stopwatch.Restart();
        var reranked = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        for (var q = 0; q < queries.Length; q++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = firstStage[queries[q].Id];
            var query = queryEmbeddings.AsSpan(q * dim, dim);
            var firstStageScores = new float[window.Count];
            var cosines = new float[window.Count];
            for (var i = 0; i < window.Count; i++)
            {
                firstStageScores[i] = window[i].Score;
                cosines[i] = Dot(query, passages.AsSpan(row[window[i].DocumentId] * dim, dim));
            }

            var result = RerankScoring.Rerank(firstStageScores, cosines, settings.ScoreMode, settings.LinearWeight, settings.RrfK);
            reranked[queries[q].Id] = [.. result.Order.Select((candidate, position) => new ScoredDocument(window[candidate].DocumentId, result.Scores[position]))];
        }

        ScoreTime = stopwatch.Elapsed;
        return reranked;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return (float)sum;
    }

    private float[] Encode(List<string> texts, TextLimits limits, string step, CancellationToken cancellationToken)
    {
        var dim = encoder.Dim;
        var embeddings = new float[texts.Count * dim];
        var reporter = new ProgressReporter(progress, step, texts.Count);
        for (var start = 0; start < texts.Count; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(Chunk, texts.Count - start);
            encoder.Encode(texts.GetRange(start, count), limits, cancellationToken).CopyTo(embeddings, start * dim);
            reporter.Report(start + count);
        }

        return embeddings;
    }
}
