using Rerank.Model.Runtime;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Tests.Planning;

/// <summary>Hand-made corpora and negatives for the planner's tests.</summary>
internal static class PlanningFixtures
{
    /// <summary>
    /// <paramref name="queries"/> training queries q0.. with one positive each (passage p0..), two held-out queries h0, h1
    /// (positives hp0, hp1), and twelve negatives n0..n11 mined for every query.
    /// </summary>
    public static (TrainingCorpus Corpus, Dictionary<string, IReadOnlyList<string>> Negatives) Simple(int queries)
    {
        var train = Enumerable.Range(0, queries).Select(i => new TrainingQuery($"q{i}", [$"p{i}"], [])).ToList();
        var heldOut = new List<TrainingQuery> { new("h0", ["hp0"], []), new("h1", ["hp1"], []) };
        var passages = Enumerable.Range(0, queries).ToDictionary(i => $"p{i}", i => $"positive text {i}", StringComparer.Ordinal);
        passages["hp0"] = "held-out positive 0";
        passages["hp1"] = "held-out positive 1";
        var mined = Enumerable.Range(0, 12).Select(i => $"n{i}").ToList();
        foreach (var id in mined)
        {
            passages[id] = "negative " + id;
        }

        var corpus = Corpus(train, heldOut, passages);
        var negatives = train.Concat(heldOut).ToDictionary(q => q.QueryId, _ => (IReadOnlyList<string>)mined, StringComparer.Ordinal);
        return (corpus, negatives);
    }

    public static TrainingCorpus Corpus(List<TrainingQuery> train, List<TrainingQuery> heldOut, Dictionary<string, string> passages) => new()
    {
        Name = "hand-made",
        Source = "/nowhere/hand-made",
        Branch = StudentBranch.Asymmetric,
        Queries = train.Concat(heldOut).ToDictionary(q => q.QueryId, q => "text of " + q.QueryId, StringComparer.Ordinal),
        Passages = passages,
        Train = train,
        HeldOut = heldOut,
        HeldOutDescription = "hand-made",
    };
}
