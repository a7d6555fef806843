using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Scoring;

/// <summary>
/// Elasticsearch's <c>boolean</c> similarity (Lucene 9's <c>BooleanSimilarity</c>) on Lucene.Net 4.8: a matching term
/// scores its query boost, whatever its frequency, the field's length or how rare it is. Norms are written as
/// <see cref="ElasticsearchBm25Similarity"/> writes them, as Lucene 9 does, so a field's norms do not depend on which of
/// the two scores it. Thread-safe.
/// </summary>
public sealed class BooleanSimilarity : Similarity
{
    private static readonly ElasticsearchBm25Similarity Norms = new();

    /// <inheritdoc/>
    public override long ComputeNorm(FieldInvertState state) => Norms.ComputeNorm(state);

    /// <inheritdoc/>
    public override SimWeight ComputeWeight(float queryBoost, CollectionStatistics collectionStats, params TermStatistics[] termStats) =>
        new BoostWeight(queryBoost);

    /// <inheritdoc/>
    public override SimScorer GetSimScorer(SimWeight weight, AtomicReaderContext context) => new BoostScorer(((BoostWeight)weight).Boost);

    /// <inheritdoc/>
    public override string ToString() => "BooleanSimilarity";

    private sealed class BoostWeight(float queryBoost) : SimWeight
    {
        public float QueryBoost { get; } = queryBoost;

        public float Boost { get; private set; } = queryBoost;

        public override float GetValueForNormalization() => QueryBoost * QueryBoost;

        public override void Normalize(float queryNorm, float topLevelBoost) => Boost = QueryBoost * topLevelBoost;
    }

    private sealed class BoostScorer(float boost) : SimScorer
    {
        public override float Score(int doc, float freq) => boost;

        public override float ComputeSlopFactor(int distance) => 1f;

        public override float ComputePayloadFactor(int doc, int start, int end, BytesRef payload) => 1f;

        public override Explanation Explain(int doc, Explanation freq)
        {
            var result = new Explanation(boost, "score(BooleanSimilarity), computed from:");
            result.AddDetail(new Explanation(boost, "boost, query boost"));
            return result;
        }
    }
}
