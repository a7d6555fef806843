using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>boosting</c>: the documents <c>positive</c> matches; where <c>negative</c> matches too their score is multiplied
/// by <c>negative_boost</c> (required, at least 0).
/// </summary>
internal sealed class BoostingQueryBuilder : QueryNode
{
    private const string Name = "boosting";

    private BoostingQueryBuilder(QueryNode positive, QueryNode negative, float negativeBoost)
    {
        Positive = positive;
        Negative = negative;
        NegativeBoost = negativeBoost;
    }

    public QueryNode Positive { get; }

    public QueryNode Negative { get; }

    public float NegativeBoost { get; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        QueryNode? positive = null;
        QueryNode? negative = null;
        var negativeBoost = -1f;
        var boost = 1f;
        foreach (var (key, value) in body)
        {
            if (value is JsonObject)
            {
                switch (key)
                {
                    case "positive":
                        positive = context.ParseInnerQuery(value);
                        break;
                    case "negative":
                        negative = context.ParseInnerQuery(value);
                        break;
                    default:
                        throw QueryErrors.DoesNotSupport(Name, key);
                }
            }
            else if (JsonArgs.IsScalar(value))
            {
                switch (key)
                {
                    case "negative_boost":
                        negativeBoost = JsonArgs.ReadFloat(value);
                        break;
                    default:
                        boost = StandardFields.ReadBoost(Name, key, value);
                        break;
                }
            }
        }

        if (positive is null)
        {
            throw QueryErrors.Parsing("[boosting] query requires 'positive' query");
        }

        if (negative is null)
        {
            throw QueryErrors.Parsing("[boosting] query requires 'negative' query");
        }

        if (negativeBoost < 0)
        {
            throw QueryErrors.Parsing("[boosting] query requires 'negative_boost' to be set to be a positive value'");
        }

        StandardFields.CheckBoost(boost);
        return new BoostingQueryBuilder(positive, negative, negativeBoost) { Boost = boost };
    }

    protected override Query DoToQuery(QueryBuildContext context) =>
        new NegativeBoostQuery(Positive.ToQuery(context), Negative.ToQuery(context), NegativeBoost);
}
