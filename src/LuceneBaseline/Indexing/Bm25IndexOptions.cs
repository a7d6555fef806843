using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Indexing;

/// <summary>How documents are analysed, indexed and scored. Immutable; safe to share.</summary>
public sealed record Bm25IndexOptions
{
    /// <summary>The corpus fields that are indexed, in the order they are joined. Default: <c>title</c>, <c>text</c>.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [CorpusFields.Title, CorpusFields.Text];

    /// <summary>
    /// Placed between field values when they are joined into the single searched field (flat mode). Default: one
    /// space. Empty values are left out, so a document without a title gets no leading separator.
    /// </summary>
    public string Separator { get; init; } = " ";

    /// <summary>The analyzer for documents and queries. Default: <see cref="AnalyzerKind.Standard"/>.</summary>
    public AnalyzerKind Analyzer { get; init; } = AnalyzerKind.Standard;

    /// <summary>BM25 term-frequency saturation. Default 1.2 (Elasticsearch's and Lucene's default).</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 document-length normalisation, 0 to 1. Default 0.75.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>
    /// Whose BM25 arithmetic scores the index. Default <see cref="Bm25Scoring.Lucene"/> (Lucene.Net 4.8's, the figures in
    /// docs/baselines.md); <see cref="Bm25Scoring.Elasticsearch"/> gives Elasticsearch's scores. It decides the stored
    /// length norms, so it is part of the index fingerprint.
    /// </summary>
    public Bm25Scoring Scoring { get; init; } = Bm25Scoring.Lucene;

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting at once.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Fields.Count == 0)
        {
            errors.Add("at least one field must be indexed");
        }

        foreach (var field in Fields)
        {
            if (!CorpusFields.IsKnown(field))
            {
                errors.Add($"unknown field '{field}' (BEIR documents have '{CorpusFields.Title}' and '{CorpusFields.Text}')");
            }
        }

        if (Fields.Distinct(StringComparer.Ordinal).Count() != Fields.Count)
        {
            errors.Add("a field is listed twice");
        }

        if (!float.IsFinite(K1) || K1 < 0)
        {
            errors.Add($"k1 must be a finite number >= 0, got {K1}");
        }

        if (!float.IsFinite(B) || B < 0 || B > 1)
        {
            errors.Add($"b must be between 0 and 1, got {B}");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid BM25 index options: " + string.Join("; ", errors) + ".");
        }
    }

    /// <summary>
    /// The settings that decide what the index holds (not k1 and b, which act at search time only): part of the
    /// fingerprint that tells whether an index on disk is up to date. The scoring is named only when it is not the
    /// default, so indices built before the option existed stay valid.
    /// </summary>
    internal string IndexSettingsKey =>
        $"fields={string.Join(',', Fields)};separator={Uri.EscapeDataString(Separator)};analyzer={AnalyzerFactory.Name(Analyzer)}"
        + (Scoring == Bm25Scoring.Lucene ? "" : $";scoring={Bm25Similarities.Name(Scoring)}");
}
