using Lucene.Net.Search.Similarities;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The similarity an engine index hands its writer and searchers: one similarity for every field, under the name
/// Elasticsearch's own per-field wrapper has, because Lucene prints the searcher's similarity class in every term's
/// explanation (<c>weight(message:elasticsearch in 0) [PerFieldSimilarity], result of:</c>).
/// </summary>
internal sealed class PerFieldSimilarity(Similarity fields) : PerFieldSimilarityWrapper
{
    /// <summary>The similarity of every field.</summary>
    public Similarity Fields { get; } = fields;

    public override Similarity Get(string name) => Fields;

    public override string ToString() => Fields.ToString() ?? nameof(PerFieldSimilarity);
}
