using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>prefix</c>: terms starting with <c>value</c> on text, keyword and <c>_id</c> fields (constant score; other field
/// types are a shard error as in Elasticsearch). <c>case_insensitive</c> is implemented; <c>rewrite</c> accepts the
/// constant-score methods.
/// </summary>
internal sealed class PrefixQueryBuilder : QueryNode
{
    private const string Name = "prefix";

    private PrefixQueryBuilder(string field, string value)
    {
        Field = field;
        Value = value;
    }

    public string Field { get; }

    public string Value { get; }

    public bool CaseInsensitive { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var parsed = TermLikeParameters.Parse(Name, body, valueKeys: ["value", "prefix"], allowCaseInsensitive: true, allowRewrite: true);
        return new PrefixQueryBuilder(parsed.Field, JsonArgs.ParserText(parsed.Value)) { Boost = parsed.Boost, CaseInsensitive = parsed.CaseInsensitive };
    }

    protected override Query DoToQuery(QueryBuildContext context) => FieldQueries.Prefix(context, Field, Value, CaseInsensitive);
}
