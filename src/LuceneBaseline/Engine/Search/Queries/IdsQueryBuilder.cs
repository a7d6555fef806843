using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>ids</c>: documents whose <c>_id</c> is one of <c>values</c>; constant score <c>boost</c>.</summary>
internal sealed class IdsQueryBuilder : QueryNode
{
    private const string Name = "ids";

    private readonly List<string> _ids = [];

    public IReadOnlyList<string> Ids => _ids;

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        // Elasticsearch parses ids with an ObjectParser and reports its errors as parsing_exception caused by them.
        try
        {
            var query = new IdsQueryBuilder();
            foreach (var (key, value) in body)
            {
                switch (key)
                {
                    case "values":
                        query._ids.AddRange(ObjectParserFields.StringArray(Name, key, value));
                        break;
                    case StandardFields.Boost:
                        query.Boost = ObjectParserFields.Float(Name, key, value, StandardFields.ParseBoost);
                        break;
                    case StandardFields.Name:
                        throw StandardFields.NamedQueriesUnsupported(Name);
                    default:
                        throw QueryErrors.UnknownField(Name, key, ["values", StandardFields.Boost, StandardFields.Name]);
                }
            }

            return query;
        }
        catch (EngineException e) when (e.Type == "x_content_parse_exception")
        {
            throw QueryErrors.Parsing(e.Reason, e);
        }
    }

    protected override Query DoToQuery(QueryBuildContext context) =>
        _ids.Count == 0
            ? new MatchNoDocsQuery("Missing ids in \"ids\" query.")
            : LuceneQueries.ConstantScore(new TermSetFilter(LuceneFieldNames.Id, _ids.Select(id => new BytesRef(id))));
}
