using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Search;

namespace Rerank.Cli.Eval;

/// <summary>What reranks first-stage windows offline for <c>eval rerank</c>: the student (<see cref="OfflineReranker"/>) or a baseline (<see cref="CosineReranker"/>).</summary>
internal interface IWindowReranker
{
    /// <summary>Names the model in the table and the JSON.</summary>
    string? ModelId { get; }

    /// <summary>Passages encoded by the last <see cref="Rerank"/>.</summary>
    int PassagesEncoded { get; }

    TimeSpan EncodeTime { get; }

    TimeSpan ScoreTime { get; }

    /// <param name="dataset">The collection: its corpus gives the passages, its queries the query texts.</param>
    /// <param name="firstStage">Candidates by query id, best first; each list is the window (already cut).</param>
    /// <param name="firstStageSource">Names the first stage in errors (a file, or "BM25").</param>
    /// <param name="cancellationToken">Stops between model calls.</param>
    /// <returns>The reranked windows by query id, with the score mode's scores (never increasing down a list).</returns>
    IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> Rerank(
        BeirDataset dataset, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> firstStage, string firstStageSource, CancellationToken cancellationToken);
}
