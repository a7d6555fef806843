namespace Rerank.Trainer.Planning;

/// <summary>What planning used and left out, written into plan.json and printed by <c>plan</c>.</summary>
/// <param name="TrainingQueries">Training queries planned (with at least one hard negative).</param>
/// <param name="EntriesPerGrouping">(query, positive) entries of those queries: what each grouping orders.</param>
/// <param name="DroppedPerGrouping">Entries of each grouping left out: the incomplete last batch, entries that conflicted with every batch left, and batches beyond the shortest grouping.</param>
/// <param name="QueriesWithoutNegatives">Training queries left out: mining found no negative for them.</param>
/// <param name="QueriesWithRepeatedNegatives">Training and held-out queries with fewer than K negatives, whose list was repeated to K.</param>
/// <param name="HeldOutWithoutNegatives">Held-out queries left out: no negative.</param>
internal sealed record PlanStatistics(
    int TrainingQueries,
    int EntriesPerGrouping,
    IReadOnlyList<int> DroppedPerGrouping,
    int QueriesWithoutNegatives,
    int QueriesWithRepeatedNegatives,
    int HeldOutWithoutNegatives);
