using Rerank.Trainer.Data;

namespace Rerank.Trainer.Planning;

/// <summary>
/// <c>rerank-train plan</c>: the deterministic batches the teacher scores and the student trains on (docs/training.md, "Plan").
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Negatives: each query's mined list (given negatives first) without its positives; K of them are sampled once per
/// query from a stream seeded by the seed and the query id, given negatives before mined ones; fewer than K are repeated
/// in order to K. A query with none is left out (counted).</item>
/// <item>A grouping: every (training query, positive), shuffled with a stream seeded by the seed and the grouping's
/// number, then cut into batches of bs in that order. An entry that conflicts with the batch being filled (same query, or
/// a positive whose text is a positive of a query already there, or the other way round: an easy negative would be a
/// positive) is deferred; each new batch takes deferred entries first, in their order.</item>
/// <item>When the entries run out, the incomplete last batch and any entry still deferred are dropped (counted); every
/// grouping is cut to the shortest grouping's batch count, so <see cref="TrainingPlan.BatchesPerGrouping"/> holds for all.</item>
/// <item>Held out: one <see cref="PlannedQuery"/> per held-out query, its first positive and its K negatives.</item>
/// </list>
/// The same corpus, negatives and settings give the same plan: no step depends on hash order or the runtime's Random.
/// </remarks>
internal static class TrainingPlanner
{
    /// <exception cref="InvalidDataException">Not one full batch can be formed.</exception>
    public static PlanResult Create(TrainingCorpus corpus, IReadOnlyDictionary<string, IReadOnlyList<string>> negatives, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(negatives);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();

        var repeated = 0;
        var training = new List<(TrainingQuery Query, IReadOnlyList<string> Negatives)>();
        foreach (var query in corpus.Train)
        {
            if (Sample(query, negatives, settings, ref repeated) is { } sampled)
            {
                training.Add((query, sampled));
            }
        }

        var heldOut = new List<PlannedQuery>();
        foreach (var query in corpus.HeldOut)
        {
            if (Sample(query, negatives, settings, ref repeated) is { } sampled)
            {
                heldOut.Add(new PlannedQuery(query.QueryId, query.Positives[0], sampled));
            }
        }

        var positiveTexts = training.Select(t => t.Query.Positives.Select(p => corpus.Passages[p]).ToHashSet(StringComparer.Ordinal)).ToArray();
        var entries = new List<Entry>();
        for (var q = 0; q < training.Count; q++)
        {
            foreach (var positive in training[q].Query.Positives)
            {
                entries.Add(new Entry(q, positive, corpus.Passages[positive]));
            }
        }

        var groupings = new List<List<PlannedBatch>>();
        var dropped = new List<int>();
        for (var g = 0; g < settings.Groupings; g++)
        {
            var order = entries.ToList();
            SeededRandom.For(settings.Seed, "grouping", g).Shuffle(order);
            var (batches, left) = Group(order, settings.BatchSize, positiveTexts, training);
            groupings.Add(batches);
            dropped.Add(left);
        }

        var perGrouping = groupings.Min(b => b.Count);
        if (perGrouping == 0)
        {
            throw new InvalidDataException(
                $"{corpus.Source}: not one batch of {settings.BatchSize} can be formed from {entries.Count} (query, positive) entries of {training.Count} training queries with negatives; lower --batch-size.");
        }

        for (var g = 0; g < groupings.Count; g++)
        {
            dropped[g] += groupings[g].Skip(perGrouping).Sum(b => b.Queries.Count);
        }

        var plan = new TrainingPlan
        {
            Branch = corpus.Branch,
            BatchSize = settings.BatchSize,
            HardNegatives = settings.HardNegatives,
            Seed = settings.Seed,
            Batches = [.. groupings.SelectMany(b => b.Take(perGrouping))],
            BatchesPerGrouping = perGrouping,
            HeldOut = heldOut,
        };
        var statistics = new PlanStatistics(
            training.Count,
            entries.Count,
            dropped,
            corpus.Train.Count - training.Count,
            repeated,
            corpus.HeldOut.Count - heldOut.Count);
        return new PlanResult(plan, statistics);
    }

    /// <summary>K negatives for <paramref name="query"/> (remarks, step 1); null when it has none.</summary>
    internal static IReadOnlyList<string>? Sample(
        TrainingQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>> negatives, PlanSettings settings, ref int repeated)
    {
        var positives = query.Positives.ToHashSet(StringComparer.Ordinal);
        var given = query.GivenNegatives.ToHashSet(StringComparer.Ordinal);
        var candidates = (negatives.TryGetValue(query.QueryId, out var list) ? list : [])
            .Where(n => !positives.Contains(n))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var k = settings.HardNegatives;
        var random = SeededRandom.For(settings.Seed, "negatives:" + query.QueryId);
        var fromGiven = Enumerable.Range(0, candidates.Count).Where(i => given.Contains(candidates[i])).ToList();
        var fromMined = Enumerable.Range(0, candidates.Count).Where(i => !given.Contains(candidates[i])).ToList();
        random.Shuffle(fromGiven);
        random.Shuffle(fromMined);
        var chosen = fromGiven.Take(k).Concat(fromMined.Take(Math.Max(0, k - fromGiven.Count))).Order().Select(i => candidates[i]).ToList();
        if (chosen.Count == k)
        {
            return chosen;
        }

        repeated++;
        return [.. Enumerable.Range(0, k).Select(i => chosen[i % chosen.Count])];
    }

    private static (List<PlannedBatch> Batches, int Dropped) Group(
        List<Entry> order, int batchSize, HashSet<string>[] positiveTexts, List<(TrainingQuery Query, IReadOnlyList<string> Negatives)> training)
    {
        var batches = new List<PlannedBatch>();
        var deferred = new List<Entry>();
        var next = 0;
        var batch = new List<Entry>(batchSize);
        var queries = new HashSet<int>();
        var chosenTexts = new HashSet<string>(StringComparer.Ordinal);
        var allPositiveTexts = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            batch.Clear();
            queries.Clear();
            chosenTexts.Clear();
            allPositiveTexts.Clear();
            bool TryAdd(Entry entry)
            {
                if (queries.Contains(entry.Query) || allPositiveTexts.Contains(entry.PositiveText) || positiveTexts[entry.Query].Overlaps(chosenTexts))
                {
                    return false;
                }

                batch.Add(entry);
                queries.Add(entry.Query);
                chosenTexts.Add(entry.PositiveText);
                allPositiveTexts.UnionWith(positiveTexts[entry.Query]);
                return true;
            }

            for (var j = 0; j < deferred.Count && batch.Count < batchSize;)
            {
                if (TryAdd(deferred[j]))
                {
                    deferred.RemoveAt(j);
                }
                else
                {
                    j++;
                }
            }

            while (batch.Count < batchSize && next < order.Count)
            {
                var entry = order[next++];
                if (!TryAdd(entry))
                {
                    deferred.Add(entry);
                }
            }

            if (batch.Count < batchSize)
            {
                return (batches, batch.Count + deferred.Count);
            }

            batches.Add(new PlannedBatch([.. batch.Select(e => new PlannedQuery(training[e.Query].Query.QueryId, e.Positive, training[e.Query].Negatives))]));
        }
    }

    private readonly record struct Entry(int Query, string Positive, string PositiveText);
}
