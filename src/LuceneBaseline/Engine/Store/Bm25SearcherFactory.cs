using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>Makes every searcher score with BM25 (k1 1.2, b 0.75), Elasticsearch's default; Lucene 4.8 defaults to TF-IDF.</summary>
internal sealed class Bm25SearcherFactory : SearcherFactory
{
    public static Bm25SearcherFactory Instance { get; } = new();

    /// <summary>The similarity of the writer and every searcher.</summary>
    public static BM25Similarity Similarity { get; } = new(1.2f, 0.75f);

    public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
}
