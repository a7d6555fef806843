namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>The mean of every metric over the evaluated queries, and each query's own values.</summary>
public sealed record EvaluationReport
{
    /// <summary>
    /// Means by metric name (<c>ndcg@10</c>, ...), enumerated in the order ndcg, mrr, recall, map, p, each by cutoff
    /// ascending.
    /// </summary>
    public required IReadOnlyDictionary<string, double> Means { get; init; }

    /// <summary>The metric names in report order.</summary>
    public required IReadOnlyList<string> MetricNames { get; init; }

    /// <summary>Queries with at least one relevant judgment: the ones averaged over.</summary>
    public required int QueriesEvaluated { get; init; }

    /// <summary>Judged queries with no relevant document: excluded, as in BEIR.</summary>
    public required int QueriesWithoutRelevant { get; init; }

    /// <summary>Evaluated queries that had no ranking in the run (they count, with 0).</summary>
    public required int QueriesMissingFromRun { get; init; }

    /// <summary>Metric values by query id, then metric name.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerQuery { get; init; }

    /// <summary>The mean of <paramref name="metric"/>; throws naming the metrics there are when it is unknown.</summary>
    public double this[string metric] => Means.TryGetValue(metric, out var value)
        ? value
        : throw new KeyNotFoundException($"No metric '{metric}'; the report has {string.Join(", ", MetricNames)}.");
}
