using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>constant_score</c>: the documents its <c>filter</c> matches, each scoring <c>boost</c> (default 1).</summary>
internal sealed class ConstantScoreQueryBuilder : QueryNode
{
    private const string Name = "constant_score";

    private ConstantScoreQueryBuilder(QueryNode filter)
    {
        Filter = filter;
    }

    public QueryNode Filter { get; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        QueryNode? filter = null;
        var boost = 1f;
        foreach (var (key, value) in body)
        {
            if (value is JsonObject)
            {
                if (key != "filter")
                {
                    throw QueryErrors.DoesNotSupport(Name, key);
                }

                filter = context.ParseInnerQuery(value);
            }
            else if (JsonArgs.IsScalar(value))
            {
                boost = StandardFields.ReadBoost(Name, key, value);
            }
            else
            {
                throw QueryErrors.Parsing($"unexpected token [{JsonArgs.TokenName(value)}]");
            }
        }

        if (filter is null)
        {
            throw QueryErrors.Parsing("[constant_score] requires a 'filter' element");
        }

        StandardFields.CheckBoost(boost);
        return new ConstantScoreQueryBuilder(filter) { Boost = boost };
    }

    protected override Query DoToQuery(QueryBuildContext context) => LuceneQueries.ConstantScore(Filter.ToQuery(context));
}
