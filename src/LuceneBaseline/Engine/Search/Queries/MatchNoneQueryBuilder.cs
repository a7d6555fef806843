using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>match_none</c>: no document.</summary>
internal sealed class MatchNoneQueryBuilder : QueryNode
{
    private const string Name = "match_none";

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var boost = 1f;
        foreach (var (key, value) in body)
        {
            if (!JsonArgs.IsScalar(value))
            {
                throw QueryErrors.UnknownToken(Name, value, key);
            }

            boost = StandardFields.ReadBoost(Name, key, value);
        }

        StandardFields.CheckBoost(boost);
        return new MatchNoneQueryBuilder { Boost = boost };
    }

    protected override Query DoToQuery(QueryBuildContext context) => new MatchNoDocsQuery("User requested \"match_none\" query.");
}
