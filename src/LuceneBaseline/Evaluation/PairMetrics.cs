namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>
/// Metrics of a pair set scored by a model: for binary labels, accuracy at the best threshold and average precision
/// (MTEB's pair classification); graded scores are compared with <see cref="Correlation"/> (Spearman, Pearson).
/// Thread-safe (pure functions); a higher score means "more likely positive".
/// </summary>
/// <remarks>
/// Ties: pairs with equal scores always fall on the same side of a threshold and share one step of the
/// precision-recall curve, so neither metric depends on the input order of tied pairs.
/// </remarks>
public static class PairMetrics
{
    /// <summary>
    /// The best accuracy of the rule "positive when score &gt; threshold" over every threshold, and that threshold.
    /// </summary>
    /// <remarks>
    /// 1. Sort the scores in descending order and group equal scores.
    /// 2. Cut after each group: the groups above the cut are predicted positive. The threshold reported for a cut is the
    ///    midpoint between the lowest score above it and the highest below it (MTEB's <c>find_best_acc_and_threshold</c>).
    ///    The cut above every pair (all negative, threshold +infinity) and below every pair (all positive, threshold
    ///    -infinity) are candidates too.
    /// 3. Keep the first cut, from the top, whose accuracy is strictly higher than every cut before it.
    /// PORT NOTE: MTEB cuts after every position, so it can split tied scores (a split no threshold achieves), and it
    /// never considers the all-negative and all-positive rules; both differ from this only where scores tie or the
    /// best rule is trivial.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ or the lists are empty.</exception>
    public static (double Accuracy, double Threshold) BestAccuracy(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Check(scores, positive);
        var n = order.Length;
        var negatives = positive.Count(p => !p);

        // 1-2. Above the first cut nothing is positive: correct = the negatives.
        var correct = negatives;
        var best = (Accuracy: (double)correct / n, Threshold: double.PositiveInfinity);
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && scores[order[end]] == scores[order[start]])
            {
                correct += positive[order[end]] ? 1 : -1;
                end++;
            }

            var accuracy = (double)correct / n;
            if (accuracy > best.Accuracy)
            {
                // 3.
                var threshold = end < n ? (scores[order[end - 1]] + scores[order[end]]) / 2 : double.NegativeInfinity;
                best = (accuracy, threshold);
            }

            start = end;
        }

        return best;
    }

    /// <summary>
    /// Average precision of the ranking by score: the sum over the distinct scores, from the highest, of the recall
    /// gained at that score times the precision at it (scikit-learn's <c>average_precision_score</c>). NaN when no
    /// pair is positive.
    /// </summary>
    /// <remarks>
    /// Tied scores form one step: all tied pairs are taken together, so the precision at the step counts every one of
    /// them (what a threshold can achieve), rather than an order among them.
    /// </remarks>
    /// <exception cref="ArgumentException">The lengths differ or the lists are empty.</exception>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Check(scores, positive);
        var totalPositive = positive.Count(p => p);
        if (totalPositive == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var (truePositive, taken) = (0, 0);
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            var gained = 0;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                gained += positive[order[end]] ? 1 : 0;
                end++;
            }

            truePositive += gained;
            taken = end;
            sum += (double)gained / totalPositive * truePositive / taken;
            start = end;
        }

        return sum;
    }

    /// <summary>Checks the inputs and returns the indices by descending score (NaN scores refused).</summary>
    private static int[] Check(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
        {
            throw new ArgumentException($"There are {scores.Count} scores and {positive.Count} labels; they must be equally many.", nameof(positive));
        }

        if (scores.Count == 0)
        {
            throw new ArgumentException("There are no pairs.", nameof(scores));
        }

        for (var i = 0; i < scores.Count; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.", nameof(scores));
            }
        }

        return [.. Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i])];
    }
}
