namespace Rerank.Trainer.Losses;

/// <summary>What the contrastive imitation term (CI) multiplies the student logits by.</summary>
internal enum CiMode
{
    /// <summary>D2LLM's CI (the default): the positive's logit times p(pos), each hard negative's times 1 - p(neg).</summary>
    TeacherWeighted = 0,

    /// <summary>The paper's ablation "-CI+CL": plain contrastive learning, every weight 1 (the teacher is not read).</summary>
    PlainContrastive = 1,
}
