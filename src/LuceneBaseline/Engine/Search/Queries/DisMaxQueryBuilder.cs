using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>dis_max</c>: the documents any of its <c>queries</c> match, scoring the best clause's score plus
/// <c>tie_breaker</c> (default 0) times the other matching clauses' scores.
/// </summary>
internal sealed class DisMaxQueryBuilder : QueryNode
{
    private const string Name = "dis_max";

    private readonly List<QueryNode> _queries = [];

    public float TieBreaker { get; private set; }

    public IReadOnlyList<QueryNode> Queries => _queries;

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var query = new DisMaxQueryBuilder();
        var queriesFound = false;
        var boost = 1f;
        foreach (var (key, value) in body)
        {
            if (value is JsonObject)
            {
                if (key != "queries")
                {
                    throw QueryErrors.DoesNotSupport(Name, key);
                }

                queriesFound = true;
                query._queries.Add(context.ParseInnerQuery(value));
            }
            else if (value is JsonArray array)
            {
                if (key != "queries")
                {
                    throw QueryErrors.DoesNotSupport(Name, key);
                }

                queriesFound = true;
                foreach (var element in array)
                {
                    query._queries.Add(context.ParseInnerQuery(element));
                }
            }
            else
            {
                switch (key)
                {
                    case "tie_breaker":
                        query.TieBreaker = JsonArgs.ReadFloat(value);
                        break;
                    default:
                        boost = StandardFields.ReadBoost(Name, key, value);
                        break;
                }
            }
        }

        if (!queriesFound)
        {
            throw QueryErrors.Parsing("[dis_max] requires 'queries' field with at least one clause");
        }

        StandardFields.CheckBoost(boost);
        query.Boost = boost;
        return query;
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        var query = new DisjunctionMaxQuery(TieBreaker);
        foreach (var clause in _queries)
        {
            query.Add(clause.ToQuery(context));
        }

        return query;
    }
}
