using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>term</c>: one exact value, not analysed (<c>{"field": value}</c> or <c>{"field": {"value": v, "boost": b,
/// "case_insensitive": c}}</c>). On text fields it matches the raw indexed term; on numeric, date and boolean fields the
/// parsed value (see <see cref="FieldQueries"/>). Unmapped fields match nothing.
/// </summary>
internal sealed class TermQueryBuilder : QueryNode
{
    private const string Name = "term";

    private TermQueryBuilder(string field, JsonNode value)
    {
        Field = field;
        Value = value;
    }

    public string Field { get; }

    public JsonNode Value { get; }

    public bool CaseInsensitive { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var parsed = TermLikeParameters.Parse(Name, body, valueKeys: ["value", "term"], allowCaseInsensitive: true, allowRewrite: false);
        return new TermQueryBuilder(parsed.Field, parsed.Value) { Boost = parsed.Boost, CaseInsensitive = parsed.CaseInsensitive };
    }

    protected override Query DoToQuery(QueryBuildContext context) => FieldQueries.Term(context, Field, Value, CaseInsensitive);
}
