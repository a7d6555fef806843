namespace Rerank.LuceneBaseline.Search;

/// <summary>How a query is matched against the indexed fields.</summary>
public enum Bm25SearchMode
{
    /// <summary>
    /// One BM25 score over the configured fields joined into one (BEIR "flat" indexing; Elasticsearch's
    /// <c>copy_to</c> into one field). The default.
    /// </summary>
    Flat,

    /// <summary>
    /// The sum of independent BM25 scores per field, each with its own length statistics (Anserini's
    /// "multifield", the setting behind BEIR's published BM25 figures).
    /// </summary>
    MultiField,
}
