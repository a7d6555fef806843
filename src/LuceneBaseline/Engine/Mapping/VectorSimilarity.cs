namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>A <c>dense_vector</c>'s similarity, and how Elasticsearch turns it into a non-negative <c>_score</c>.</summary>
internal enum VectorSimilarity
{
    /// <summary><c>cosine</c>: score (1 + cos) / 2. Elasticsearch's default for indexed vectors.</summary>
    Cosine,

    /// <summary><c>dot_product</c>: score (1 + dot) / 2 (vectors are expected to be unit length).</summary>
    DotProduct,

    /// <summary><c>l2_norm</c>: score 1 / (1 + l2²).</summary>
    L2Norm,

    /// <summary><c>max_inner_product</c>: score 1 / (1 - dot) for dot &lt; 0, else dot + 1.</summary>
    MaxInnerProduct,
}
