namespace Rerank.LuceneBaseline.Analysis;

/// <summary>The text analyzers the BM25 baseline offers, named after their Elasticsearch counterparts.</summary>
public enum AnalyzerKind
{
    /// <summary>
    /// Elasticsearch's <c>standard</c> analyzer: Unicode text segmentation (UAX #29), lower-casing, no stop words,
    /// tokens of at most 255 characters.
    /// </summary>
    Standard,

    /// <summary>
    /// For Chinese, Japanese and Korean text: the standard tokenizer, full/half-width folding, lower-casing and
    /// overlapping bigrams of CJK characters (Elasticsearch's <c>cjk</c> analyzer without its English stop words).
    /// Latin-script words are kept whole, as with <see cref="Standard"/>.
    /// </summary>
    Cjk,
}
