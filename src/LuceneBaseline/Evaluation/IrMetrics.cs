namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>
/// Per-query ranking metrics with trec_eval's definitions (as pytrec_eval and BEIR compute them).
/// </summary>
/// <remarks>
/// The ranking is a list of document ids, best first; judgments map document ids to graded relevance. A grade
/// &gt; 0 is relevant; a grade &lt;= 0 or an unjudged document is not. A document id repeated in the ranking counts
/// only at its first position (later copies hold their positions but gain nothing). Thread-safe (pure functions).
/// </remarks>
public static class IrMetrics
{
    /// <summary>nDCG@k with linear gain (the grade) and discount log2(rank + 1); 0 when nothing is relevant.</summary>
    public static double Ndcg(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k)
    {
        var grades = GradesInTop(ranking, judgments, k);
        var dcg = grades.Select((g, i) => g / Math.Log2(i + 2)).Sum();
        var ideal = judgments.Values.Where(g => g > 0).OrderDescending().Take(k).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>1 / rank of the first relevant document within the top k; 0 when there is none.</summary>
    public static double ReciprocalRank(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k)
    {
        var rank = Array.FindIndex(GradesInTop(ranking, judgments, k), g => g > 0) + 1;
        return rank == 0 ? 0 : 1.0 / rank;
    }

    /// <summary>Relevant documents in the top k over all relevant documents; 0 when nothing is relevant.</summary>
    public static double Recall(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k)
    {
        var found = GradesInTop(ranking, judgments, k).Count(g => g > 0);
        var relevant = RelevantCount(judgments);
        return relevant == 0 ? 0 : (double)found / relevant;
    }

    /// <summary>Relevant documents in the top k over k (trec_eval P_k: over k even when fewer were retrieved).</summary>
    public static double Precision(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k) =>
        (double)GradesInTop(ranking, judgments, k).Count(g => g > 0) / k;

    /// <summary>
    /// Average precision cut at k (trec_eval <c>map_cut_k</c>): the sum of precision at the rank of each relevant
    /// document within the top k, over the number of all relevant documents; 0 when nothing is relevant.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k)
    {
        var grades = GradesInTop(ranking, judgments, k);
        var relevant = RelevantCount(judgments);
        var found = 0;
        var sum = 0.0;
        for (var i = 0; i < grades.Length; i++)
        {
            if (grades[i] > 0)
            {
                found++;
                sum += (double)found / (i + 1);
            }
        }

        return relevant == 0 ? 0 : sum / relevant;
    }

    /// <summary>
    /// The positive grade at each of the first k positions, 0 for a non-relevant document or a repeat of an
    /// earlier one.
    /// </summary>
    private static int[] GradesInTop(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> judgments, int k)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(judgments);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var grades = new int[Math.Min(k, ranking.Count)];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < grades.Length; i++)
        {
            if (seen.Add(ranking[i]) && judgments.TryGetValue(ranking[i], out var grade) && grade > 0)
            {
                grades[i] = grade;
            }
        }

        return grades;
    }

    private static int RelevantCount(IReadOnlyDictionary<string, int> judgments) => judgments.Values.Count(g => g > 0);
}
