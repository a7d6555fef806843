namespace Rerank.Trainer.Training;

/// <summary>
/// The log-shaped warm-up then constant learning rate (D2LLM.md section 4; docs/training.md, "Training").
/// </summary>
/// <remarks>
/// The official code uses DeepSpeed's <c>WarmupLR</c> (log type, min 0, max lr, 1,000 steps): after n scheduler steps the
/// rate is lr * ln(n + 1) / ln(W) for n &lt; W, then lr; the engine steps the scheduler after each update, so its first
/// two updates run at rate 0. We keep the curve and drop the two idle updates: update s (1-based) runs at
/// lr * ln(1 + s) / ln(1 + W) for s &lt; W and at lr from s = W on (W = 0: lr throughout). The factor rises from
/// ln 2 / ln 1001 = 0.100 at s = 1 to 1 at s = W without a jump.
/// </remarks>
internal static class WarmupSchedule
{
    /// <summary>The factor on the base rate for update <paramref name="step"/> (1-based) with <paramref name="warmupSteps"/> W.</summary>
    public static double Factor(long step, int warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        return step >= warmupSteps ? 1.0 : Math.Log(1.0 + step) / Math.Log(1.0 + warmupSteps);
    }
}
