namespace Rerank.Trainer.Training;

/// <summary>Where training stands: what a checkpoint's <c>state.json</c> holds besides the tensors.</summary>
internal sealed class TrainingState
{
    /// <summary>Optimizer steps taken; the next step trains on plan batch <c>Step % batches</c>.</summary>
    public long Step { get; set; }

    /// <summary>The step-0 evaluation.</summary>
    public HeldOutMetrics? Initial { get; set; }

    /// <summary>The best evaluation so far (the student in <c>train/best</c>).</summary>
    public HeldOutMetrics? Best { get; set; }

    /// <summary>The last evaluation.</summary>
    public HeldOutMetrics? Last { get; set; }

    /// <summary>Evaluations in a row since the best one that did not improve on it.</summary>
    public int EvaluationsWithoutImprovement { get; set; }
}
