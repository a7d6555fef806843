using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>match</c>: full-text match on one field, short form <c>{"title": "text"}</c> or long form
/// <c>{"title": {"query": "text", ...}}</c>. Parameters: <c>query</c>, <c>operator</c> (or|and, default or),
/// <c>minimum_should_match</c>, <c>analyzer</c>, <c>lenient</c> (default false), <c>zero_terms_query</c> (none|all,
/// default none), <c>auto_generate_synonyms_phrase_query</c> (accepted; the engine has no synonym analyzers),
/// <c>boost</c>. Fuzzy matching (<c>fuzziness</c>, <c>prefix_length</c>, <c>max_expansions</c>,
/// <c>fuzzy_transpositions</c>, <c>fuzzy_rewrite</c>) and <c>_name</c> are refused as unsupported.
/// </summary>
internal sealed class MatchQueryBuilder : QueryNode
{
    private const string Name = "match";

    private MatchQueryBuilder(string field, JsonNode value)
    {
        Field = field;
        Value = value;
    }

    public string Field { get; }

    public JsonNode Value { get; }

    public Occur Operator { get; private set; } = Occur.SHOULD;

    public string? Analyzer { get; private set; }

    public string? MinimumShouldMatchText { get; private set; }

    public bool Lenient { get; private set; }

    public bool ZeroTermsAll { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var (field, value, parameters) = MatchParameters.ParseFieldBody(Name, body);
        return new MatchQueryBuilder(field, value)
        {
            Boost = parameters.Boost,
            Operator = parameters.Operator,
            Analyzer = parameters.Analyzer,
            MinimumShouldMatchText = parameters.MinimumShouldMatch,
            Lenient = parameters.Lenient ?? false,
            ZeroTermsAll = parameters.ZeroTermsAll,
        };
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        var analyzer = MatchQueryParser.ResolveAnalyzer(context, Name, Analyzer);
        var options = new MatchOptions(Operator, analyzer, Slop: 0, Lenient, ZeroTermsAll, MinimumShouldMatchText);
        return MatchQueryParser.Build(context, MatchType.Boolean, Field, Value, options);
    }
}
