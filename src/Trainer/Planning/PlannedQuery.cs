namespace Rerank.Trainer.Planning;

/// <summary>One query of a planned batch: the positive it trains with and its K hard negatives (in loss order).</summary>
/// <param name="QueryId">The query.</param>
/// <param name="Positive">The one positive of this query in this batch.</param>
/// <param name="HardNegatives">Exactly K passage ids (sampled once with the plan's seed, repeated when fewer were mined); none is a positive of the query.</param>
internal sealed record PlannedQuery(string QueryId, string Positive, IReadOnlyList<string> HardNegatives);
