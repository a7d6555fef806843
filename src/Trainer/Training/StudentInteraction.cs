namespace Rerank.Trainer.Training;

/// <summary>How a (query, passage) pair of vectors becomes the student logit (D2LLM.md section 3, the IEM ablation).</summary>
internal enum StudentInteraction
{
    /// <summary>The IEM on [q ; p] (the student's, and the only one a bundle serves).</summary>
    Iem = 0,

    /// <summary>
    /// The ablation "IEM -> cosine": z = cos(q, p) / <see cref="TrainingOptions.CosineTemperature"/>; FI then reads the
    /// pair feature q/|q| * p/|p| (element-wise, the terms whose sum is the cosine).
    /// </summary>
    Cosine = 1,
}
