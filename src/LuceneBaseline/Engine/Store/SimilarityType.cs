namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The similarity types the engine implements, of Elasticsearch's built-in ones.</summary>
internal enum SimilarityType
{
    /// <summary><c>BM25</c>.</summary>
    Bm25,

    /// <summary><c>boolean</c>.</summary>
    Boolean,
}
