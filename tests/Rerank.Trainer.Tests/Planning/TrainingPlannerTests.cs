using Rerank.TestUtilities;
using Rerank.Trainer.Data;
using Rerank.Trainer.Planning;

namespace Rerank.Trainer.Tests.Planning;

public sealed class TrainingPlannerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_SameInputsAndSeed_ByteIdenticalPlanFile()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(50);
        var settings = new PlanSettings { BatchSize = 8, Groupings = 2 };

        var first = TrainingPlanner.Create(corpus, negatives, settings);
        var second = TrainingPlanner.Create(corpus, negatives, settings);
        PlanFile.Write(Path.Combine(_temp.Path, "a.json"), first.Plan, corpus, first.Statistics);
        PlanFile.Write(Path.Combine(_temp.Path, "b.json"), second.Plan, corpus, second.Statistics);

        Assert.Equal(File.ReadAllBytes(Path.Combine(_temp.Path, "a.json")), File.ReadAllBytes(Path.Combine(_temp.Path, "b.json")));
    }

    [Fact]
    public void Create_OtherSeed_OtherOrderAndSamples()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(50);

        var one = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 8, Seed = 1 }).Plan;
        var two = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 8, Seed = 2 }).Plan;

        Assert.NotEqual(Flatten(one).Select(q => q.QueryId), Flatten(two).Select(q => q.QueryId));
        Assert.NotEqual(one.HeldOut[0].HardNegatives, two.HeldOut[0].HardNegatives);
    }

    [Fact]
    public void Create_SimpleCorpus_BatchesOfBsWithKNegativesAndTheLastIncompleteBatchDropped()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(50);

        var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 8, HardNegatives = 3 });

        // 50 entries in batches of 8: 6 full batches, the last 2 entries dropped.
        var plan = result.Plan;
        Assert.Equal(6, plan.Batches.Count);
        Assert.Equal(6, plan.BatchesPerGrouping);
        Assert.Equal([2], result.Statistics.DroppedPerGrouping);
        Assert.Equal(50, result.Statistics.EntriesPerGrouping);
        Assert.All(plan.Batches, b => Assert.Equal(8, b.Queries.Count));
        var planned = Flatten(plan).ToList();
        Assert.Equal(48, planned.Select(q => q.QueryId).Distinct().Count());
        Assert.All(planned, q =>
        {
            Assert.Equal("p" + q.QueryId[1..], q.Positive);
            Assert.Equal(3, q.HardNegatives.Count);
            Assert.Equal(3, q.HardNegatives.Distinct().Count());
            Assert.All(q.HardNegatives, n => Assert.Contains(n, negatives[q.QueryId]));
        });
        Assert.Equal(["h0", "h1"], plan.HeldOut.Select(q => q.QueryId));
        Assert.Equal("hp0", plan.HeldOut[0].Positive);
        Assert.Equal(3, plan.HeldOut[0].HardNegatives.Count);
    }

    [Fact]
    public void Sample_MoreThanK_KDistinctInMinedOrderGivenNegativesFirst()
    {
        var query = new TrainingQuery("q", ["p"], ["g1", "g2"]);
        var mined = new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["g1", "g2", "m1", "m2", "m3", "m4", "m5", "m6", "p"] };
        var repeated = 0;

        var samples = Enumerable.Range(1, 20)
            .Select(seed => TrainingPlanner.Sample(query, mined, new PlanSettings { HardNegatives = 4, Seed = seed }, ref repeated)!)
            .ToList();

        Assert.All(samples, s =>
        {
            Assert.Equal(["g1", "g2"], s.Take(2));
            Assert.Equal(2, s.Skip(2).Distinct().Count());
            Assert.All(s.Skip(2), n => Assert.StartsWith("m", n, StringComparison.Ordinal));
            Assert.Equal(s.Skip(2).Order(StringComparer.Ordinal), s.Skip(2));
        });
        Assert.True(samples.Select(s => string.Join(',', s)).Distinct().Count() > 3, "the seed does not change the sample");
        Assert.Equal(0, repeated);
    }

    [Fact]
    public void Sample_FewerThanK_TheListRepeatedInOrderWithoutPositives()
    {
        var query = new TrainingQuery("q", ["p"], []);
        var mined = new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["a", "p", "b", "c"] };
        var repeated = 0;

        var sample = TrainingPlanner.Sample(query, mined, new PlanSettings { HardNegatives = 8 }, ref repeated);

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a", "b"], sample);
        Assert.Equal(1, repeated);
    }

    [Fact]
    public void Create_QueriesWithoutNegatives_LeftOutAndCounted()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(10);
        negatives["q3"] = [];
        negatives.Remove("q4");
        negatives["h1"] = ["hp1"]; // its own positive only: nothing left

        var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 2 });

        Assert.Equal(2, result.Statistics.QueriesWithoutNegatives);
        Assert.Equal(8, result.Statistics.TrainingQueries);
        Assert.Equal(1, result.Statistics.HeldOutWithoutNegatives);
        Assert.DoesNotContain(Flatten(result.Plan), q => q.QueryId is "q3" or "q4");
        Assert.Equal("h0", Assert.Single(result.Plan.HeldOut).QueryId);
    }

    [Fact]
    public void Create_SharedAndTextEqualPositives_NeverInOneBatch()
    {
        // q0 and q1 share p0; p1 and p2 have the same text; q3 has three positives; 12 more plain queries.
        var train = new List<TrainingQuery>
        {
            new("q0", ["p0"], []),
            new("q1", ["p0", "p1"], []),
            new("q2", ["p2"], []),
            new("q3", ["p3a", "p3b", "p3c"], []),
        };
        var passages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["p0"] = "zero", ["p1"] = "same text", ["p2"] = "same text", ["p3a"] = "a", ["p3b"] = "b", ["p3c"] = "c", ["n"] = "negative",
        };
        for (var i = 4; i < 16; i++)
        {
            train.Add(new TrainingQuery($"q{i}", [$"p{i}"], []));
            passages[$"p{i}"] = $"text {i}";
        }

        var corpus = PlanningFixtures.Corpus(train, [], passages);
        var negatives = train.ToDictionary(q => q.QueryId, _ => (IReadOnlyList<string>)["n"], StringComparer.Ordinal);
        var positivesOf = train.ToDictionary(q => q.QueryId, q => q.Positives.Select(p => passages[p]).ToHashSet());

        for (var seed = 1; seed <= 30; seed++)
        {
            var result = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 4, Seed = seed, Groupings = 2 });

            foreach (var batch in result.Plan.Batches)
            {
                Assert.Equal(4, batch.Queries.Select(q => q.QueryId).Distinct().Count());
                foreach (var query in batch.Queries)
                {
                    foreach (var other in batch.Queries.Where(o => o != query))
                    {
                        // The other query's positive is this query's easy negative: it must not be one of its positives.
                        Assert.DoesNotContain(passages[other.Positive], positivesOf[query.QueryId]);
                    }
                }
            }

            // Every entry is planned at most once per grouping, and planned plus dropped is every entry.
            var perGrouping = result.Plan.BatchesPerGrouping;
            for (var g = 0; g < 2; g++)
            {
                var entries = result.Plan.Batches.Skip(g * perGrouping).Take(perGrouping).SelectMany(b => b.Queries).Select(q => (q.QueryId, q.Positive)).ToList();
                Assert.Equal(entries.Count, entries.Distinct().Count());
                Assert.Equal(19, entries.Count + result.Statistics.DroppedPerGrouping[g]);
            }
        }
    }

    [Fact]
    public void Create_Groupings_EachAPassOverEveryEntryInItsOwnOrder()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(32);

        var plan = TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = 8, Groupings = 3 }).Plan;

        Assert.Equal(4, plan.BatchesPerGrouping);
        Assert.Equal(12, plan.Batches.Count);
        var orders = Enumerable.Range(0, 3).Select(g => plan.Batches.Skip(4 * g).Take(4).SelectMany(b => b.Queries).Select(q => q.QueryId).ToList()).ToList();
        Assert.All(orders, o => Assert.Equal(Enumerable.Range(0, 32).Select(i => $"q{i}").Order(), o.Order()));
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(orders[1], orders[2]);
        // A query keeps the negatives sampled once for it, in every grouping.
        var byQuery = plan.Batches.SelectMany(b => b.Queries).GroupBy(q => q.QueryId);
        Assert.All(byQuery, g => Assert.Single(g.Select(q => string.Join(',', q.HardNegatives)).Distinct()));
    }

    [Fact]
    public void Create_FewerEntriesThanABatch_IsRefusedNamingTheBatchSize()
    {
        var (corpus, negatives) = PlanningFixtures.Simple(5);

        var error = Assert.Throws<InvalidDataException>(() => TrainingPlanner.Create(corpus, negatives, new PlanSettings()));

        Assert.Equal("/nowhere/hand-made: not one batch of 32 can be formed from 5 (query, positive) entries of 5 training queries with negatives; lower --batch-size.", error.Message);
    }

    [Theory]
    [InlineData(1, 8, 1, "--batch-size must be at least 2")]
    [InlineData(32, 0, 1, "--negatives must be at least 1, got 0")]
    [InlineData(32, 8, 0, "--groupings must be at least 1, got 0")]
    public void Create_SettingsOutOfRange_ArgumentErrorNamingTheOption(int batchSize, int k, int groupings, string message)
    {
        var (corpus, negatives) = PlanningFixtures.Simple(5);

        var error = Assert.Throws<ArgumentException>(() => TrainingPlanner.Create(corpus, negatives, new PlanSettings { BatchSize = batchSize, HardNegatives = k, Groupings = groupings }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<PlannedQuery> Flatten(TrainingPlan plan) => plan.Batches.SelectMany(b => b.Queries);
}
