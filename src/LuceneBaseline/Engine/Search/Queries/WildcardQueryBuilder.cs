using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>wildcard</c>: terms matching a pattern (<c>*</c>, <c>?</c>) on text, keyword and <c>_id</c> fields (constant
/// score). <c>case_insensitive</c> is implemented; <c>rewrite</c> accepts the constant-score methods.
/// </summary>
internal sealed class WildcardQueryBuilder : QueryNode
{
    private const string Name = "wildcard";

    private WildcardQueryBuilder(string field, string pattern)
    {
        Field = field;
        Pattern = pattern;
    }

    public string Field { get; }

    public string Pattern { get; }

    public bool CaseInsensitive { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var parsed = TermLikeParameters.Parse(Name, body, valueKeys: ["value", "wildcard"], allowCaseInsensitive: true, allowRewrite: true);
        return new WildcardQueryBuilder(parsed.Field, JsonArgs.ParserText(parsed.Value)) { Boost = parsed.Boost, CaseInsensitive = parsed.CaseInsensitive };
    }

    protected override Query DoToQuery(QueryBuildContext context) => FieldQueries.Wildcard(context, Field, Pattern, CaseInsensitive);
}
