namespace Rerank.Model.Graphs;

/// <summary>The input and output names of the bundle's three graphs: the contract between the writer and the runtime.</summary>
internal static class StudentGraphNames
{
    /// <summary>Encoder input: token ids, int64 <c>[batch, seq]</c>, right-padded.</summary>
    public const string InputIds = "input_ids";

    /// <summary>Encoder input: int64 <c>[batch, seq]</c>, 1 for tokens and 0 for padding.</summary>
    public const string AttentionMask = "attention_mask";

    /// <summary>Encoder output and projection input: the PMA-pooled embedding y^agg, float <c>[batch, d]</c>.</summary>
    public const string Embedding = "embedding";

    /// <summary>Projection output: u_p = W1p p + b1, float <c>[batch, H]</c>.</summary>
    public const string Projection = "projection";

    /// <summary>Scorer input: one query embedding, float <c>[1, d]</c>.</summary>
    public const string QueryEmbedding = "query_embedding";

    /// <summary>Scorer input: K passage projections, float <c>[K, H]</c>.</summary>
    public const string PassageProjections = "passage_projections";

    /// <summary>Scorer input: the branch index, an int64 scalar (0 symmetric, 1 asymmetric).</summary>
    public const string Branch = "branch";

    /// <summary>Scorer output: one logit per candidate, float <c>[K]</c>.</summary>
    public const string Logits = "logits";

    /// <summary>Scorer output: the student features y^S, float <c>[K, H]</c>.</summary>
    public const string Features = "features";
}
