using Rerank.Model.Runtime;

namespace Rerank.Trainer.Planning;

/// <summary>
/// The deterministic training plan <c>rerank-train plan</c> writes and <c>teacher</c> and <c>train</c> read
/// (docs/training.md, "Plan"): the batches of each planned grouping and the held-out candidates. The teacher scores exactly
/// <see cref="Pairs"/>, stored by (query id, passage id), never by step.
/// </summary>
internal sealed record TrainingPlan
{
    /// <summary>The task of every batch.</summary>
    public required StudentBranch Branch { get; init; }

    /// <summary>Queries per batch (bs, default 32; at least 2).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Hard negatives per query (K, default 8; at least 1).</summary>
    public required int HardNegatives { get; init; }

    /// <summary>The seed every sampling and grouping used.</summary>
    public required int Seed { get; init; }

    /// <summary>
    /// The training batches, grouping after grouping: grouping g is one pass over every (query, positive) of the training
    /// queries in a seeded order. Training walks them in order and starts over when it runs past the end.
    /// </summary>
    public required IReadOnlyList<PlannedBatch> Batches { get; init; }

    /// <summary>How many batches each grouping (one epoch's worth) has.</summary>
    public required int BatchesPerGrouping { get; init; }

    /// <summary>Held-out queries with their candidates (positive and K hard negatives), scored by the teacher for evaluation.</summary>
    public required IReadOnlyList<PlannedQuery> HeldOut { get; init; }

    /// <summary>
    /// Every distinct (query id, passage id) pair the teacher must score, batches' pairs then held-out ones, sorted by query id
    /// then passage id (ordinal): the order <c>teacher --shard i/n</c> slices.
    /// </summary>
    public IReadOnlyList<(string QueryId, string PassageId)> Pairs()
    {
        var pairs = new HashSet<(string, string)>();
        foreach (var batch in Batches)
        {
            pairs.UnionWith(batch.Pairs());
        }

        foreach (var query in HeldOut)
        {
            pairs.Add((query.QueryId, query.Positive));
            foreach (var negative in query.HardNegatives)
            {
                pairs.Add((query.QueryId, negative));
            }
        }

        return pairs.Order(PairComparer.Instance).ToList();
    }

    /// <summary>Ordinal order by query id, then passage id.</summary>
    internal sealed class PairComparer : IComparer<(string QueryId, string PassageId)>
    {
        public static readonly PairComparer Instance = new();

        public int Compare((string QueryId, string PassageId) x, (string QueryId, string PassageId) y)
        {
            var byQuery = string.CompareOrdinal(x.QueryId, y.QueryId);
            return byQuery != 0 ? byQuery : string.CompareOrdinal(x.PassageId, y.PassageId);
        }
    }
}
