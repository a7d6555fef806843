namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// One similarity an index can score fields with: Elasticsearch's <c>BM25</c> (with its parameters) or <c>boolean</c>.
/// Immutable.
/// </summary>
internal sealed record SimilarityDefinition
{
    /// <summary>Elasticsearch's built-in <c>BM25</c>: k1 1.2, b 0.75, overlaps discounted.</summary>
    public static SimilarityDefinition Bm25Defaults { get; } = new();

    /// <summary>Elasticsearch's built-in <c>boolean</c>: a matching term scores its boost.</summary>
    public static SimilarityDefinition Boolean { get; } = new() { Type = SimilarityType.Boolean };

    /// <summary>The similarity type. Default <see cref="SimilarityType.Bm25"/>.</summary>
    public SimilarityType Type { get; init; } = SimilarityType.Bm25;

    /// <summary>BM25 term-frequency saturation. Default 1.2.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation. Default 0.75.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>BM25: whether overlapping tokens are left out of field lengths. Default true.</summary>
    public bool DiscountOverlaps { get; init; } = true;
}
