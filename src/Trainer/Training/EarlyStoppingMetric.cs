namespace Rerank.Trainer.Training;

/// <summary>The held-out metric that picks the best student and drives early stopping (higher is better).</summary>
internal enum EarlyStoppingMetric
{
    /// <summary>Spearman of student logits against teacher logits over every held-out pair (default).</summary>
    PooledSpearman = 0,

    /// <summary>The mean over held-out queries of the per-query Spearman (queries without spread left out).</summary>
    MeanQuerySpearman = 1,

    /// <summary>The mean reciprocal rank of each held-out query's positive among its candidates by student logit.</summary>
    Mrr = 2,
}
