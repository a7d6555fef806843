using Rerank.LuceneBaseline.Evaluation;

namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// Chooses the teacher: for every non-empty subset of the features, a logistic fit on the fitting queries, scored by
/// nDCG@10 of the held-out queries' candidates reranked by its logit; the best subset wins (ties: fewer features, then
/// the earlier subset). Held-out queries come from the training data, never from a test split.
/// </summary>
internal static class FusionSelection
{
    public const int NdcgDepth = 10;

    /// <returns>Every subset's choice, best first.</returns>
    public static IReadOnlyList<FusionChoice> Rank(IReadOnlyList<string> featureNames, IReadOnlyList<FusionQuery> fit, IReadOnlyList<FusionQuery> dev, double ridge = LogisticFit.DefaultRidge)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(dev);
        if (featureNames.Count is 0 or > 8)
        {
            throw new ArgumentException($"Between 1 and 8 features are supported (got {featureNames.Count}).", nameof(featureNames));
        }

        var rows = fit.SelectMany(q => q.Features).ToList();
        var labels = fit.SelectMany(q => q.Relevant).ToList();
        var choices = new List<(FusionChoice Choice, int Order)>();
        for (var mask = 1; mask < 1 << featureNames.Count; mask++)
        {
            var used = Enumerable.Range(0, featureNames.Count).Where(i => (mask & (1 << i)) != 0).ToArray();
            var theta = LogisticFit.Fit([.. rows.Select(r => used.Select(i => r[i]).ToArray())], labels, ridge);
            var partial = new FusionChoice(used, [.. used.Select(i => featureNames[i])], theta, 0);
            choices.Add((partial with { DevNdcg = MeanNdcg(partial, dev) }, mask));
        }

        return [.. choices
            .OrderByDescending(c => c.Choice.DevNdcg)
            .ThenBy(c => c.Choice.Features.Count)
            .ThenBy(c => c.Order)
            .Select(c => c.Choice)];
    }

    /// <summary>Mean nDCG@10 over <paramref name="queries"/> of their candidates ordered by <paramref name="choice"/>'s logit (ties: candidate order).</summary>
    public static double MeanNdcg(FusionChoice choice, IReadOnlyList<FusionQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (queries.Count == 0)
        {
            return 0;
        }

        var total = 0.0;
        foreach (var query in queries)
        {
            var ranking = Enumerable.Range(0, query.Candidates.Count)
                .OrderByDescending(i => choice.Logit(query.Features[i]))
                .ThenBy(i => i)
                .Select(i => query.Candidates[i])
                .ToList();
            var judgments = Enumerable.Range(0, query.Candidates.Count).Where(i => query.Relevant[i])
                .ToDictionary(i => query.Candidates[i], _ => 1, StringComparer.Ordinal);
            total += IrMetrics.Ndcg(ranking, judgments, NdcgDepth);
        }

        return total / queries.Count;
    }
}
