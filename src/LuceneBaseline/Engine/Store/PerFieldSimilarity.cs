using Lucene.Net.Search.Similarities;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The similarity an engine index hands its writer and searchers: each field scored by the similarity its mapping
/// names (<c>similarity</c>), the index default otherwise. It carries the name of Elasticsearch's own per-field wrapper,
/// because Lucene prints the searcher's similarity class in every term's explanation
/// (<c>weight(message:elasticsearch in 0) [PerFieldSimilarity], result of:</c>). Thread-safe.
/// </summary>
/// <param name="fallback">The similarity of fields that name none, and of Lucene fields that are not mapped fields.</param>
/// <param name="byName">The similarities fields may name.</param>
/// <param name="mapping">The index's current mapping (fields added later, by mapping updates, resolve too).</param>
internal sealed class PerFieldSimilarity(Similarity fallback, IReadOnlyDictionary<string, Similarity> byName, Func<IndexMapping> mapping)
    : PerFieldSimilarityWrapper
{
    /// <summary>The similarity of fields that name none.</summary>
    public Similarity Default { get; } = fallback;

    public override Similarity Get(string name) =>
        mapping().Find(name)?.TextSimilarity is { } similarity && byName.TryGetValue(similarity, out var named) ? named : Default;

    public override string ToString() => Default.ToString() ?? nameof(PerFieldSimilarity);
}
