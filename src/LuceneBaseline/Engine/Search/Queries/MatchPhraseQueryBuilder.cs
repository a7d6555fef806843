using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>match_phrase</c>: the analysed tokens in order on one field, within <c>slop</c> (default 0) moves. Parameters:
/// <c>query</c>, <c>slop</c>, <c>analyzer</c>, <c>zero_terms_query</c>, <c>boost</c>; short and long forms as
/// <c>match</c>. Scores as Lucene's phrase query under BM25 (the sum of the terms' idf times the phrase frequency's
/// saturation).
/// </summary>
internal sealed class MatchPhraseQueryBuilder : QueryNode
{
    private const string Name = "match_phrase";

    private MatchPhraseQueryBuilder(string field, JsonNode value)
    {
        Field = field;
        Value = value;
    }

    public string Field { get; }

    public JsonNode Value { get; }

    public int Slop { get; private set; }

    public string? Analyzer { get; private set; }

    public bool ZeroTermsAll { get; private set; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var (field, value, parameters) = MatchParameters.ParseFieldBody(Name, body);
        return new MatchPhraseQueryBuilder(field, value)
        {
            Boost = parameters.Boost,
            Slop = parameters.Slop,
            Analyzer = parameters.Analyzer,
            ZeroTermsAll = parameters.ZeroTermsAll,
        };
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        var analyzer = MatchQueryParser.ResolveAnalyzer(context, Name, Analyzer);
        var options = new MatchOptions(Occur.SHOULD, analyzer, Slop, Lenient: false, ZeroTermsAll, MinimumShouldMatch: null);
        return MatchQueryParser.Build(context, MatchType.Phrase, Field, Value, options);
    }
}
