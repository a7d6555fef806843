using Rerank.Trainer.Teacher.Fusion;

namespace Rerank.Trainer.Tests.Teacher.Fusion;

public sealed class FusionSelectionTests
{
    [Fact]
    public void MeanNdcg_RelevantSecond_IsOneOverLog2Of3()
    {
        // One feature, weight +1: candidates ordered a (0.9), b (0.5), c (0.1); only b is relevant, at rank 2:
        // DCG = 1 / log2(3), ideal DCG = 1.
        var choice = new FusionChoice([0], ["f"], [0.0, 1.0], 0);
        var query = new FusionQuery("q", ["c", "b", "a"], [[0.1], [0.5], [0.9]], [false, true, false]);

        var ndcg = FusionSelection.MeanNdcg(choice, [query]);

        Assert.Equal(1 / Math.Log2(3), ndcg, 1e-12);
    }

    [Fact]
    public void Rank_OneInformativeFeature_ChoosesItAlone()
    {
        // Feature 0 puts every positive first; feature 1 is the same constant for every candidate, so adding it cannot
        // change a ranking: the tie goes to the subset with fewer features.
        var fit = Enumerable.Range(0, 20).Select(i => Query($"f{i}", i)).ToList();
        var dev = Enumerable.Range(0, 5).Select(i => Query($"d{i}", i + 100)).ToList();

        var ranked = FusionSelection.Rank(["good", "flat"], fit, dev);

        Assert.Equal(["good"], ranked[0].Names);
        Assert.Equal(1.0, ranked[0].DevNdcg, 1e-12);
        Assert.True(ranked[0].Theta[1] > 0);
        Assert.Equal(3, ranked.Count);
        Assert.Contains(ranked, c => c.Names.SequenceEqual(["flat"]) && c.DevNdcg < 1);
    }

    private static FusionQuery Query(string id, int seed)
    {
        var random = new Random(seed);
        var candidates = Enumerable.Range(0, 10).Select(i => $"{id}-p{i}").ToList();
        var relevant = Enumerable.Range(0, 10).Select(i => i == seed % 10).ToList();

        // The relevant candidate scores above 0.6 on feature 0, the others below 0.5; feature 1 is 0.3 for all. The
        // relevant one comes last in candidate order, so a ranking that ignores feature 0 puts it last.
        var order = Enumerable.Range(0, 10).OrderBy(i => relevant[i]).ToList();
        return new FusionQuery(
            id,
            [.. order.Select(i => candidates[i])],
            [.. order.Select(i => new[] { relevant[i] ? 0.6 + (0.4 * random.NextDouble()) : 0.5 * random.NextDouble(), 0.3 })],
            [.. order.Select(i => relevant[i])]);
    }
}
