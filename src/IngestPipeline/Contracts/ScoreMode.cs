namespace Rerank.IngestPipeline.Contracts;

/// <summary>How a reranked hit's <c>_score</c> is made (<c>_meta.rerank.score_mode</c>; docs/search.md "Scores").</summary>
public enum ScoreMode
{
    /// <summary>The model alone: the logistic of the model's logit, in (0, 1).</summary>
    Model,

    /// <summary>A weighted sum of the min-max-normalised logit and the min-max-normalised first-stage score, in [0, 1].</summary>
    Linear,

    /// <summary>Reciprocal rank fusion of the model's rank and the first-stage rank: 1/(k + r_model) + 1/(k + r_first).</summary>
    Rrf,
}
