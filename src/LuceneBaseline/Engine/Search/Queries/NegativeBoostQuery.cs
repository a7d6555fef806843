using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The documents <c>positive</c> matches, with their score multiplied by <c>negativeBoost</c> where <c>negative</c>
/// also matches (Elasticsearch's <c>FunctionScoreQuery.boostByQuery</c>, behind the <c>boosting</c> query). The
/// negative query only decides the factor; its own score is not used. Immutable; weights and scorers are per search.
/// </summary>
internal sealed class NegativeBoostQuery : Query
{
    private readonly Query _positive;
    private readonly Query _negative;
    private readonly float _negativeBoost;

    public NegativeBoostQuery(Query positive, Query negative, float negativeBoost)
    {
        _positive = positive;
        _negative = negative;
        _negativeBoost = negativeBoost;
    }

    public override Query Rewrite(IndexReader reader)
    {
        var positive = _positive.Rewrite(reader);
        var negative = _negative.Rewrite(reader);
        return ReferenceEquals(positive, _positive) && ReferenceEquals(negative, _negative)
            ? this
            : new NegativeBoostQuery(positive, negative, _negativeBoost) { Boost = Boost };
    }

    public override Weight CreateWeight(IndexSearcher searcher) =>
        new BoostWeight(this, _positive.CreateWeight(searcher), _negative.CreateWeight(searcher));

    public override void ExtractTerms(ISet<Term> terms) => _positive.ExtractTerms(terms);

    public override string ToString(string field) =>
        $"boosting(positive: {_positive.ToString(field)}, negative: {_negative.ToString(field)}, negative_boost: {_negativeBoost})"
        + ToStringUtils.Boost(Boost);

    public override bool Equals(object? obj) =>
        obj is NegativeBoostQuery other && base.Equals(other) && _positive.Equals(other._positive)
        && _negative.Equals(other._negative) && _negativeBoost == other._negativeBoost;

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), _positive, _negative, _negativeBoost);

    private sealed class BoostWeight(NegativeBoostQuery query, Weight positive, Weight negative) : Weight
    {
        public override Query Query => query;

        public override bool ScoresDocsOutOfOrder => false;

        public override float GetValueForNormalization()
        {
            // The negative side is normalised too (its scorers need it) but counts for nothing.
            negative.GetValueForNormalization();
            return positive.GetValueForNormalization() * query.Boost * query.Boost;
        }

        public override void Normalize(float norm, float topLevelBoost)
        {
            positive.Normalize(norm, topLevelBoost * query.Boost);
            negative.Normalize(1f, 1f);
        }

        public override Scorer? GetScorer(AtomicReaderContext context, IBits acceptDocs)
        {
            var positiveScorer = positive.GetScorer(context, acceptDocs);
            return positiveScorer is null ? null : new BoostScorer(this, positiveScorer, negative.GetScorer(context, acceptDocs), query._negativeBoost);
        }

        public override Explanation Explain(AtomicReaderContext context, int doc)
        {
            var explanation = positive.Explain(context, doc);
            if (!explanation.IsMatch)
            {
                return explanation;
            }

            var negativeMatch = negative.Explain(context, doc).IsMatch;
            var factor = negativeMatch ? query._negativeBoost : 1f;
            var result = new ComplexExplanation(true, explanation.Value * factor, negativeMatch ? "positive score, negative matched: times negative_boost" : "positive score");
            result.AddDetail(explanation);
            return result;
        }
    }

    private sealed class BoostScorer(Weight weight, Scorer positive, Scorer? negative, float negativeBoost) : Scorer(weight)
    {
        public override int DocID => positive.DocID;

        public override int Freq => positive.Freq;

        public override int NextDoc() => positive.NextDoc();

        public override int Advance(int target) => positive.Advance(target);

        public override long GetCost() => positive.GetCost();

        public override float GetScore()
        {
            var score = positive.GetScore();
            var doc = positive.DocID;
            if (negative is not null)
            {
                if (negative.DocID < doc)
                {
                    negative.Advance(doc);
                }

                if (negative.DocID == doc)
                {
                    score *= negativeBoost;
                }
            }

            return score;
        }
    }
}
