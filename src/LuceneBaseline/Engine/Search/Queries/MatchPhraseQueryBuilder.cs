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
        string? field = null;
        JsonNode? value = null;
        var parameters = new MatchParameters(Name);
        foreach (var (key, node) in body)
        {
            if (field is not null)
            {
                throw QueryErrors.MultipleFields(Name, field, key);
            }

            field = key;
            if (node is JsonObject options)
            {
                foreach (var (parameter, setting) in options)
                {
                    if (!JsonArgs.IsScalar(setting))
                    {
                        throw QueryErrors.UnknownToken(Name, setting, parameter);
                    }

                    if (parameter == "query")
                    {
                        value = MatchParameters.ObjectText(setting);
                    }
                    else if (!parameters.TryParse(parameter, setting))
                    {
                        throw QueryErrors.DoesNotSupport(Name, parameter);
                    }
                }
            }
            else
            {
                value = MatchParameters.ObjectText(node);
            }
        }

        if (value is null)
        {
            throw QueryErrors.Parsing("No text specified for text query");
        }

        StandardFields.CheckBoost(parameters.Boost);
        return new MatchPhraseQueryBuilder(field!, value)
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
