using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Documents;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary><c>ids</c>: documents whose <c>_id</c> is one of <c>values</c>; constant score <c>boost</c>.</summary>
internal sealed class IdsQueryBuilder : QueryNode
{
    private const string Name = "ids";

    private readonly List<string> _ids = [];

    public IReadOnlyList<string> Ids => _ids;

    public static QueryNode Parse(JsonObject body, QueryParseContext context) => ObjectParserFields.ParseQuery(() =>
    {
        var query = new IdsQueryBuilder();
        foreach (var (key, value) in body)
        {
            if (key == "values")
            {
                query._ids.AddRange(ObjectParserFields.StringArray(Name, key, value));
            }
            else
            {
                query.Boost = ObjectParserFields.Boost(Name, key, value, ["values", StandardFields.Boost, StandardFields.Name]);
            }
        }

        return query;
    });

    protected override Query DoToQuery(QueryBuildContext context) =>
        _ids.Count == 0
            ? new MatchNoDocsQuery("Missing ids in \"ids\" query.")
            : LuceneQueries.ConstantScore(new TermSetFilter(LuceneFieldNames.Id, _ids.Select(id => new BytesRef(id))));
}
