namespace Rerank.Trainer.Losses;

/// <summary>The weight lambda_ijk of the hard-vs-easy rank imitation term (D2LLM.md section 3, RI_HI).</summary>
internal enum RiHiLambda
{
    /// <summary>
    /// The official code's weight (the default): lambda_ijk = max(p_ij - p_ik, 0) / scale, the teacher's yes-probability of
    /// hard negative j minus that of easy negative k, clipped at zero (scale is <see cref="DistillationLossOptions.RiHiScale"/>).
    /// </summary>
    ClippedProbabilityDifference = 0,

    /// <summary>
    /// The paper's NDCG-style rank weight, as we read it: the query's K hard and bs-1 easy negatives are ranked by the
    /// teacher's yes-probability (descending, 1-based, ties in input order, hard before easy), and
    /// lambda_ijk = max(1/r_ij - 1/r_ik, 0), so only pairs the teacher ranks hard-above-easy count, more so near the top.
    /// </summary>
    PaperRank = 1,
}
