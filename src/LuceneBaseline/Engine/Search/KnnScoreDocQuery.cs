using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Matches a fixed set of documents of one index reader with fixed scores: the nearest neighbours a knn search found,
/// turned into a query so that it can be combined with the request's <c>query</c> in a disjunction (Elasticsearch's
/// <c>KnnScoreDocQuery</c>). Scores are multiplied by the query boost.
/// </summary>
internal sealed class KnnScoreDocQuery : Query
{
    private readonly int[] _docs;
    private readonly float[] _scores;
    private readonly object _reader;

    /// <param name="docs">Reader-global document numbers, ascending.</param>
    /// <param name="scores">The score of each document.</param>
    /// <param name="reader">The top-level reader the numbers refer to (a query of another reader matches nothing).</param>
    public KnnScoreDocQuery(int[] docs, float[] scores, IndexReader reader)
    {
        _docs = docs;
        _scores = scores;
        _reader = reader.CoreCacheKey;
    }

    public override Weight CreateWeight(IndexSearcher searcher) => new KnnWeight(this, searcher.IndexReader.CoreCacheKey == _reader);

    public override string ToString(string field) => $"KnnScoreDocQuery[{_docs.Length} docs]^{Boost}";

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    private sealed class KnnWeight(KnnScoreDocQuery query, bool sameReader) : Weight
    {
        private float _boost = 1f;

        public override Query Query => query;

        public override float GetValueForNormalization() => query.Boost * query.Boost;

        public override void Normalize(float norm, float topLevelBoost) => _boost = query.Boost * topLevelBoost;

        public override Scorer? GetScorer(AtomicReaderContext context, IBits? acceptDocs)
        {
            if (!sameReader)
            {
                return null;
            }

            var maxDoc = context.AtomicReader.MaxDoc;
            var start = LowerBound(query._docs, context.DocBase);
            var end = LowerBound(query._docs, context.DocBase + maxDoc);
            return start == end ? null : new KnnScorer(this, query, start, end, context.DocBase, acceptDocs, _boost);
        }

        public override Explanation Explain(AtomicReaderContext context, int doc)
        {
            var index = Array.BinarySearch(query._docs, context.DocBase + doc);
            return index >= 0
                ? new Explanation(query._scores[index] * _boost, "within top k documents")
                : new Explanation(0f, "not in top k documents");
        }

        private static int LowerBound(int[] docs, int value)
        {
            var index = Array.BinarySearch(docs, value);
            return index >= 0 ? index : ~index;
        }
    }

    private sealed class KnnScorer(Weight weight, KnnScoreDocQuery query, int start, int end, int docBase, IBits? acceptDocs, float boost)
        : Scorer(weight)
    {
        private int _index = start - 1;
        private int _doc = -1;

        public override int DocID => _doc;

        public override int Freq => 1;

        public override float GetScore() => query._scores[_index] * boost;

        public override int NextDoc()
        {
            while (++_index < end)
            {
                var doc = query._docs[_index] - docBase;
                if (acceptDocs is null || acceptDocs.Get(doc))
                {
                    return _doc = doc;
                }
            }

            return _doc = NO_MORE_DOCS;
        }

        public override int Advance(int target)
        {
            while (_doc < target)
            {
                if (NextDoc() == NO_MORE_DOCS)
                {
                    break;
                }
            }

            return _doc;
        }

        public override long GetCost() => end - start;
    }
}
