using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>match_all</c>: every document, scoring <c>boost</c> (default 1).</summary>
internal sealed class MatchAllQueryBuilder : QueryNode
{
    private const string Name = "match_all";

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        // Elasticsearch parses match_all with an ObjectParser and reports its errors as parsing_exception caused by them.
        try
        {
            var query = new MatchAllQueryBuilder();
            foreach (var (key, value) in body)
            {
                switch (key)
                {
                    case StandardFields.Boost:
                        query.Boost = ObjectParserFields.Float(Name, key, value, StandardFields.ParseBoost);
                        break;
                    case StandardFields.Name:
                        throw StandardFields.NamedQueriesUnsupported(Name);
                    default:
                        throw QueryErrors.UnknownField(Name, key, [StandardFields.Boost, StandardFields.Name]);
                }
            }

            return query;
        }
        catch (EngineException e) when (e.Type == "x_content_parse_exception")
        {
            throw QueryErrors.Parsing(e.Reason, e);
        }
    }

    protected override Query DoToQuery(QueryBuildContext context) => new MatchAllDocsQuery();
}
