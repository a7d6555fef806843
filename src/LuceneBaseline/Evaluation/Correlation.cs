namespace Rerank.LuceneBaseline.Evaluation;

/// <summary>
/// Pearson and Spearman correlation of two equally long series, in double precision: what pair-set evaluation (STS-style
/// graded scores) and the trainer's teacher-student agreement report.
/// </summary>
/// <remarks>
/// Spearman is Pearson of the ranks, ties sharing their average rank (scipy's <c>spearmanr</c>). A series with no spread
/// (every value equal) has no defined correlation: the result is NaN, which callers report as such rather than as 0.
/// </remarks>
public static class Correlation
{
    /// <summary>Pearson's r of <paramref name="x"/> and <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException">The lengths differ or fewer than two values are given.</exception>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        double meanX = 0, meanY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Count;
        meanY /= y.Count;
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var (dx, dy) = (x[i] - meanX, y[i] - meanY);
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }

        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }

    /// <summary>Spearman's rho of <paramref name="x"/> and <paramref name="y"/>: Pearson of their average ranks.</summary>
    /// <exception cref="ArgumentException">The lengths differ or fewer than two values are given.</exception>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>1-based ranks in ascending order, tied values sharing the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Positions start..end-1 (0-based) hold ranks start+1..end; their mean is (start + 1 + end) / 2.
            var rank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The series have {x.Count} and {y.Count} values; they must be equally long.", nameof(y));
        }

        if (x.Count < 2)
        {
            throw new ArgumentException($"A correlation needs at least two values, got {x.Count}.", nameof(x));
        }
    }
}
