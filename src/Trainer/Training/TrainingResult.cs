namespace Rerank.Trainer.Training;

/// <summary>What <see cref="DistillationTrainer.Train"/> did.</summary>
/// <param name="Steps">Optimizer steps taken in all (before a resume included).</param>
/// <param name="Initial">The held-out metrics of the untrained student (step 0), or null without held-out queries.</param>
/// <param name="Best">The best evaluation by the chosen metric (the student in <c>train/best</c>), or null without held-out queries.</param>
/// <param name="Last">The last evaluation, or null without held-out queries.</param>
/// <param name="StoppedEarly">Stopped because the metric did not improve for the patience.</param>
/// <param name="Cancelled">Stopped by cancellation (Ctrl+C) after saving a checkpoint; running again resumes.</param>
/// <param name="FeatureImitation">Whether FI was on (asked for, and the teacher store has features).</param>
/// <param name="BestStudent">The directory of the best student: heads (<c>StudentDirectory</c>) and, with LoRA, <c>lora/</c>.</param>
internal sealed record TrainingResult(long Steps, HeldOutMetrics? Initial, HeldOutMetrics? Best, HeldOutMetrics? Last, bool StoppedEarly, bool Cancelled, bool FeatureImitation, string BestStudent);
