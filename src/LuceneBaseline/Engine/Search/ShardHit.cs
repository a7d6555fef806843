namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>A hit of one index before the hits of all indices are merged.</summary>
/// <param name="TargetIndex">The position of the index in the request's target list.</param>
/// <param name="Doc">The reader-global document number.</param>
/// <param name="Score">The score, or NaN when not computed.</param>
/// <param name="SortValues">The sort keys (owning their bytes), or null when sorting by score only.</param>
internal sealed record ShardHit(int TargetIndex, int Doc, float Score, SortValue[]? SortValues);
