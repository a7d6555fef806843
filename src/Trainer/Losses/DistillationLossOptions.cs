namespace Rerank.Trainer.Losses;

/// <summary>
/// Weights and switches of the D2LLM distillation loss (D2LLM.md section 3). The defaults are the official code's:
/// L = 1 L_inbatch + 1 L_CI + 1 L_PH + 0.01 L_HI + 0.001 L_FI, CI teacher-weighted, the clipped-probability lambda.
/// </summary>
/// <remarks>
/// A switched-off term is not computed at all (its inputs may then be absent, e.g. teacher features for FI); a term that is
/// on but weighted 0 is still computed and logged, and adds nothing to the total.
/// </remarks>
internal sealed record DistillationLossOptions
{
    /// <summary>The in-batch InfoNCE term is computed (the official code's; not in the paper).</summary>
    public bool InBatchEnabled { get; init; } = true;

    /// <summary>The weight of the in-batch InfoNCE term.</summary>
    public double InBatchWeight { get; init; } = 1.0;

    /// <summary>The contrastive imitation term (CI) is computed.</summary>
    public bool CiEnabled { get; init; } = true;

    /// <summary>The weight of CI (the code's <c>alpha</c>).</summary>
    public double CiWeight { get; init; } = 1.0;

    /// <summary>Teacher-weighted CI (default) or the "-CI+CL" ablation's plain contrastive loss.</summary>
    public CiMode CiMode { get; init; } = CiMode.TeacherWeighted;

    /// <summary>
    /// The paper's CI variant: query i's bs-1 in-batch (easy) negatives join its hard negatives in CI's softmax, weighted
    /// 1 - p, and the sum is divided by bs * (K + bs - 1) (our generalisation of the code's bs * K). Off by default (the
    /// code: hard negatives only, in-batch negatives go to the InfoNCE term).
    /// </summary>
    public bool CiWithInBatchNegatives { get; init; }

    /// <summary>The positive-vs-hard rank imitation term (RI_PH) is computed.</summary>
    public bool RiPhEnabled { get; init; } = true;

    /// <summary>The weight of RI_PH (the code's <c>beta</c>).</summary>
    public double RiPhWeight { get; init; } = 1.0;

    /// <summary>The hard-vs-easy rank imitation term (RI_HI) is computed.</summary>
    public bool RiHiEnabled { get; init; } = true;

    /// <summary>The weight of RI_HI (the code's <c>gamma</c>).</summary>
    public double RiHiWeight { get; init; } = 0.01;

    /// <summary>How RI_HI weighs each (hard, easy) pair: the code's clipped probability difference (default) or the paper's rank weight.</summary>
    public RiHiLambda RiHiLambda { get; init; } = RiHiLambda.ClippedProbabilityDifference;

    /// <summary>
    /// The code's <c>scale_param</c> (default 1): the clipped-probability lambda is divided by it. Must be positive; not
    /// applied to the paper's rank weight.
    /// </summary>
    public double RiHiScale { get; init; } = 1.0;

    /// <summary>The feature imitation term (FI) is computed; it needs teacher features.</summary>
    public bool FiEnabled { get; init; } = true;

    /// <summary>The weight of FI (the code's <c>eta</c>).</summary>
    public double FiWeight { get; init; } = 0.001;
}
