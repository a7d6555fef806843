namespace Rerank.Trainer.Planning;

/// <summary>
/// One single-task batch as the losses see it: bs queries, each with its positive and K hard negatives; query i's easy
/// negatives are the other queries' positives (D2LLM.md section 3), so a batch never holds two queries with the same positive.
/// </summary>
/// <param name="Queries">The bs queries, in loss order.</param>
internal sealed record PlannedBatch(IReadOnlyList<PlannedQuery> Queries)
{
    /// <summary>
    /// Every (query id, passage id) pair the losses read for this batch: each query with its positive, its hard negatives
    /// and every other query's positive (the RI_HI / InfoNCE cross pairs).
    /// </summary>
    public IEnumerable<(string QueryId, string PassageId)> Pairs()
    {
        foreach (var query in Queries)
        {
            yield return (query.QueryId, query.Positive);
            foreach (var negative in query.HardNegatives)
            {
                yield return (query.QueryId, negative);
            }

            foreach (var other in Queries)
            {
                if (!ReferenceEquals(other, query))
                {
                    yield return (query.QueryId, other.Positive);
                }
            }
        }
    }
}
