using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>Gives every searcher of an index the index's similarity (the writer's); Lucene 4.8 defaults to TF-IDF.</summary>
internal sealed class SimilaritySearcherFactory(Similarity similarity) : SearcherFactory
{
    public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
}
