namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// The score contract of a reranked search (docs/search.md "Scores"), shared by the sidecar and offline evaluation so
/// both rank a window the same way. Every score is finite and never negative, and scores never increase down the list.
/// </summary>
public static class RerankScoring
{
    /// <summary>The <c>_score</c> of a hit in <see cref="ScoreMode.Model"/>: the logistic of its logit, in [0, 1].</summary>
    public static double ModelScore(double logit) => 1.0 / (1.0 + Math.Exp(-logit));

    /// <summary>
    /// Reorders a window. Candidates are given in first-stage order; a NaN logit marks one without a usable vector,
    /// which keeps its first-stage position while the others are ranked by <paramref name="mode"/> into the remaining
    /// positions (ties keep first-stage order). A candidate without a logit takes the score of the hit above it (the
    /// best score when it is first), so scores still never increase down the list. With no logit at all the order is
    /// the first stage's and every score is 0 (callers fall back before that).
    /// </summary>
    /// <param name="firstStageScores">The first stage's scores, in its order (used by <see cref="ScoreMode.Linear"/>).</param>
    /// <param name="logits">The model's logit per candidate, in first-stage order; NaN where there is none.</param>
    /// <param name="mode">How scores are made.</param>
    /// <param name="linearWeight">The model's weight in <see cref="ScoreMode.Linear"/>, 0 to 1.</param>
    /// <param name="rrfK">The rank constant of <see cref="ScoreMode.Rrf"/>, 1 or more.</param>
    public static RerankedWindow Rerank(
        ReadOnlySpan<float> firstStageScores, ReadOnlySpan<float> logits, ScoreMode mode, double linearWeight, int rrfK)
    {
        if (firstStageScores.Length != logits.Length)
        {
            throw new ArgumentException($"{firstStageScores.Length} first-stage scores but {logits.Length} logits");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(linearWeight, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(linearWeight, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(rrfK, 1);

        var n = logits.Length;
        var scored = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (!float.IsNaN(logits[i]))
            {
                scored.Add(i);
            }
        }

        var order = new int[n];
        var scores = new float[n];
        if (scored.Count == 0)
        {
            for (var i = 0; i < n; i++)
            {
                order[i] = i;
            }

            return new RerankedWindow(order, scores, n);
        }

        var fused = new double[n];
        switch (mode)
        {
            case ScoreMode.Model:
                foreach (var i in scored)
                {
                    fused[i] = ModelScore(logits[i]);
                }

                break;
            case ScoreMode.Linear:
                var (logitMin, logitMax) = Range(scored, logits);
                var (firstMin, firstMax) = Range(scored, firstStageScores);
                foreach (var i in scored)
                {
                    fused[i] = (linearWeight * MinMax(logits[i], logitMin, logitMax))
                        + ((1 - linearWeight) * MinMax(firstStageScores[i], firstMin, firstMax));
                }

                break;
            case ScoreMode.Rrf:
                var logitsCopy = logits.ToArray();
                var byLogit = scored.ToArray();
                Array.Sort(byLogit, (a, b) => logitsCopy[b].CompareTo(logitsCopy[a]) is var c && c != 0 ? c : a.CompareTo(b));
                for (var rank = 0; rank < byLogit.Length; rank++)
                {
                    var i = byLogit[rank];
                    fused[i] = (1.0 / (rrfK + rank + 1)) + (1.0 / (rrfK + i + 1));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }

        var ranked = scored.ToArray();
        Array.Sort(ranked, (a, b) => fused[b].CompareTo(fused[a]) is var c && c != 0 ? c : a.CompareTo(b));

        var next = 0;
        for (var position = 0; position < n; position++)
        {
            if (float.IsNaN(logits[position]))
            {
                order[position] = position;
                scores[position] = position == 0 ? (float)fused[ranked[0]] : scores[position - 1];
            }
            else
            {
                var candidate = ranked[next++];
                order[position] = candidate;
                scores[position] = (float)fused[candidate];
            }
        }

        return new RerankedWindow(order, scores, n - scored.Count);
    }

    /// <summary>
    /// The score of a hit below the window (first-stage order is kept there): its first-stage score scaled so that the
    /// window's last first-stage score maps to the window's last reranked score. Never above that score, never negative,
    /// and monotone in the first-stage score, so a deep page stays ordered by score.
    /// </summary>
    public static float BeyondWindowScore(float firstStageScore, float lastWindowFirstStageScore, float lastWindowScore)
    {
        if (!(lastWindowFirstStageScore > 0) || !(firstStageScore > 0))
        {
            return 0f;
        }

        return (float)(lastWindowScore * Math.Min(1.0, (double)firstStageScore / lastWindowFirstStageScore));
    }

    private static (double Min, double Max) Range(List<int> indices, ReadOnlySpan<float> values)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var i in indices)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }

        return (min, max);
    }

    /// <summary>(x - min) / (max - min); 1 when every value is equal, so no candidate loses its share.</summary>
    private static double MinMax(double value, double min, double max) => max > min ? (value - min) / (max - min) : 1.0;
}
