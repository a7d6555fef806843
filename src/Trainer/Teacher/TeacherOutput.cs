namespace Rerank.Trainer.Teacher;

/// <summary>
/// The teacher's judgement of one (query, passage) pair (D2LLM.md section 1), as stored and as the losses read it.
/// </summary>
/// <param name="Logit">
/// z_yes - z_no, the last-position logits of the two answer tokens; the yes-probability the losses use is
/// s^T = softmax([z_yes, z_no])[yes] = sigmoid(Logit). Imported probabilities are stored as their logit (clamped, docs/training.md).
/// </param>
/// <param name="Features">y^T: the final hidden state at the last position (after the final norm), or null when the store has none (an import without features).</param>
internal readonly record struct TeacherOutput(float Logit, float[]? Features)
{
    /// <summary>s^T = sigmoid(Logit).</summary>
    public double YesProbability => 1.0 / (1.0 + Math.Exp(-Logit));
}
