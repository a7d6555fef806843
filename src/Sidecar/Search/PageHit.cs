namespace Rerank.Sidecar.Search;

/// <summary>One hit of the answered page: its first-stage index, final rank (from 1), score and logit (NaN when none).</summary>
internal readonly record struct PageHit(int FirstStageIndex, int Rank, float Score, float Logit);
