using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>match_all</c>: every document, scoring <c>boost</c> (default 1).</summary>
internal sealed class MatchAllQueryBuilder : QueryNode
{
    private const string Name = "match_all";

    public static QueryNode Parse(JsonObject body, QueryParseContext context) => ObjectParserFields.ParseQuery(() =>
    {
        var query = new MatchAllQueryBuilder();
        foreach (var (key, value) in body)
        {
            query.Boost = ObjectParserFields.Boost(Name, key, value, [StandardFields.Boost, StandardFields.Name]);
        }

        return query;
    });

    protected override Query DoToQuery(QueryBuildContext context) => new MatchAllDocsQuery();
}
