namespace Rerank.IngestPipeline.Contracts;

/// <summary>A reranked window (<see cref="RerankScoring.Rerank"/>).</summary>
/// <param name="Order">For each new position, the candidate's first-stage index.</param>
/// <param name="Scores">For each new position, its <c>_score</c>; never increasing.</param>
/// <param name="Missing">How many candidates had no logit (kept at their first-stage positions).</param>
public sealed record RerankedWindow(int[] Order, float[] Scores, int Missing);
