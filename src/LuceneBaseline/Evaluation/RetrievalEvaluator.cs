using System.Globalization;
using Rerank.LuceneBaseline.Search;

namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>Scores a run against qrels with <see cref="IrMetrics"/> at a fixed set of cutoffs. Thread-safe.</summary>
public sealed class RetrievalEvaluator
{
    private static readonly (string Family, Func<IReadOnlyList<string>, IReadOnlyDictionary<string, int>, int, double> Metric)[] Families =
    [
        ("ndcg", IrMetrics.Ndcg),
        ("mrr", IrMetrics.ReciprocalRank),
        ("recall", IrMetrics.Recall),
        ("map", IrMetrics.AveragePrecision),
        ("p", IrMetrics.Precision),
    ];

    private readonly int[] _cutoffs;

    /// <param name="cutoffs">The k values; each at least 1. Duplicates are merged; order does not matter.</param>
    public RetrievalEvaluator(IReadOnlyList<int> cutoffs)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        if (cutoffs.Count == 0 || cutoffs.Any(k => k < 1))
        {
            throw new ArgumentException($"Cutoffs must be a non-empty list of integers >= 1, got [{string.Join(", ", cutoffs)}].", nameof(cutoffs));
        }

        _cutoffs = [.. cutoffs.Distinct().Order()];
        MetricNames = [.. Families.SelectMany(f => _cutoffs.Select(k => Name(f.Family, k)))];
    }

    /// <summary>Metric names in report order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <remarks>
    /// 1. The evaluated queries are those of <paramref name="qrels"/> with a grade &gt; 0 (BEIR excludes the rest).
    /// 2. Each ranking is re-ordered as trec_eval does: score descending, ties by document id descending (ordinal).
    /// 3. A query missing from the run, or with an empty ranking, scores 0 and still counts.
    /// </remarks>
    public EvaluationReport Evaluate(
        IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> run,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(qrels);

        var sums = new double[MetricNames.Count];
        var perQuery = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        int evaluated = 0, withoutRelevant = 0, missing = 0;
        foreach (var (queryId, judgments) in qrels.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            // 1.
            if (!judgments.Values.Any(g => g > 0))
            {
                withoutRelevant++;
                continue;
            }

            evaluated++;

            // 2. and 3.
            if (!run.TryGetValue(queryId, out var scored) || scored.Count == 0)
            {
                missing++;
                scored = [];
            }

            var ranking = scored
                .OrderByDescending(d => d.Score)
                .ThenByDescending(d => d.DocumentId, StringComparer.Ordinal)
                .Select(d => d.DocumentId)
                .ToArray();

            var values = new Dictionary<string, double>(MetricNames.Count, StringComparer.Ordinal);
            var m = 0;
            foreach (var (family, metric) in Families)
            {
                foreach (var k in _cutoffs)
                {
                    var value = metric(ranking, judgments, k);
                    values[Name(family, k)] = value;
                    sums[m++] += value;
                }
            }

            perQuery[queryId] = values;
        }

        var means = new Dictionary<string, double>(MetricNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < MetricNames.Count; i++)
        {
            means[MetricNames[i]] = evaluated == 0 ? 0 : sums[i] / evaluated;
        }

        return new EvaluationReport
        {
            Means = means,
            MetricNames = MetricNames,
            QueriesEvaluated = evaluated,
            QueriesWithoutRelevant = withoutRelevant,
            QueriesMissingFromRun = missing,
            PerQuery = perQuery,
        };
    }

    private static string Name(string family, int k) => string.Create(CultureInfo.InvariantCulture, $"{family}@{k}");
}
