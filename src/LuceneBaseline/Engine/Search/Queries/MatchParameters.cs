using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The scalar parameters the match family (<c>match</c>, <c>match_phrase</c>, <c>multi_match</c>) shares, parsed as
/// Elasticsearch parses them; each query accepts its own subset (the others are "does not support").
/// </summary>
internal sealed class MatchParameters
{
    // Parameters Elasticsearch accepts that only apply to fuzzy matching, which the engine does not implement.
    private static readonly HashSet<string> FuzzyParameters = new(StringComparer.Ordinal)
    {
        "fuzziness", "prefix_length", "max_expansions", "fuzzy_transpositions", "fuzzy_rewrite",
    };

    private static readonly Dictionary<string, string[]> Accepted = new(StringComparer.Ordinal)
    {
        ["match"] =
        [
            "analyzer", StandardFields.Boost, "operator", "minimum_should_match", "lenient", "zero_terms_query",
            StandardFields.Name, "auto_generate_synonyms_phrase_query",
        ],
        ["match_phrase"] = ["analyzer", StandardFields.Boost, "slop", StandardFields.Name, "zero_terms_query"],
        ["multi_match"] =
        [
            "type", "analyzer", StandardFields.Boost, "slop", "operator", "minimum_should_match", "tie_breaker",
            "lenient", "zero_terms_query", StandardFields.Name, "auto_generate_synonyms_phrase_query",
        ],
    };

    private readonly string _query;
    private readonly HashSet<string> _accepted;

    public MatchParameters(string query)
    {
        _query = query;
        _accepted = new HashSet<string>(Accepted[query], StringComparer.Ordinal);
        if (query != "match_phrase")
        {
            _accepted.UnionWith(FuzzyParameters);
        }
    }

    public float Boost { get; private set; } = 1f;

    public Occur Operator { get; private set; } = Occur.SHOULD;

    public string? Analyzer { get; private set; }

    public string? MinimumShouldMatch { get; private set; }

    /// <summary>The <c>lenient</c> parameter, or null when not given (multi_match then decides).</summary>
    public bool? Lenient { get; private set; }

    public bool ZeroTermsAll { get; private set; }

    public int Slop { get; private set; }

    public float? TieBreaker { get; private set; }

    public string? Type { get; private set; }

    /// <summary>Elasticsearch's <c>objectText()</c>: a scalar value, null for JSON null; objects and arrays fail (500).</summary>
    public static JsonNode? ObjectText(JsonNode? node)
    {
        if (JsonArgs.IsNull(node))
        {
            return null;
        }

        if (!JsonArgs.IsScalar(node))
        {
            throw QueryErrors.IllegalState($"Can't get text on a {JsonArgs.TokenName(node)}");
        }

        return node;
    }

    /// <summary>
    /// The body of a single-field match query (<c>match</c>, <c>match_phrase</c>): the short form
    /// <c>{"field": "text"}</c> or the long form <c>{"field": {"query": "text", ...}}</c>, with the query's own
    /// parameters; "No text specified for text query" when there is no value, and the boost checked.
    /// </summary>
    public static (string Field, JsonNode Value, MatchParameters Parameters) ParseFieldBody(string query, JsonObject body)
    {
        string? field = null;
        JsonNode? value = null;
        var parameters = new MatchParameters(query);
        foreach (var (key, node) in body)
        {
            if (field is not null)
            {
                throw QueryErrors.MultipleFields(query, field, key);
            }

            field = key;
            if (node is JsonObject options)
            {
                foreach (var (parameter, setting) in options)
                {
                    if (!JsonArgs.IsScalar(setting))
                    {
                        throw QueryErrors.UnknownToken(query, setting, parameter);
                    }

                    if (parameter == "query")
                    {
                        value = ObjectText(setting);
                    }
                    else if (!parameters.TryParse(parameter, setting))
                    {
                        throw QueryErrors.DoesNotSupport(query, parameter);
                    }
                }
            }
            else
            {
                value = ObjectText(node);
            }
        }

        if (value is null)
        {
            throw QueryErrors.Parsing("No text specified for text query");
        }

        StandardFields.CheckBoost(parameters.Boost);
        return (field!, value, parameters);
    }

    /// <summary>Takes one scalar parameter; false when this query does not take it.</summary>
    public bool TryParse(string name, JsonNode? value)
    {
        if (!_accepted.Contains(name))
        {
            return false;
        }

        if (FuzzyParameters.Contains(name))
        {
            throw QueryErrors.UnsupportedParameter(_query, name);
        }

        switch (name)
        {
            case "analyzer":
                Analyzer = JsonArgs.ParserText(value);
                break;
            case StandardFields.Boost:
                Boost = JsonArgs.ReadFloat(value);
                break;
            case "operator":
                Operator = JsonArgs.ParserText(value).ToUpperInvariant() switch
                {
                    "OR" => Occur.SHOULD,
                    "AND" => Occur.MUST,
                    var other => throw QueryErrors.IllegalArgument($"No enum constant org.elasticsearch.index.query.Operator.{other}"),
                };
                break;
            case "minimum_should_match":
                MinimumShouldMatch = JsonArgs.ParserTextOrNull(value);
                break;
            case "lenient":
                Lenient = JsonArgs.ReadBool(value);
                break;
            case "zero_terms_query":
                ZeroTermsAll = JsonArgs.ParserText(value).ToLowerInvariant() switch
                {
                    "none" => false,
                    "all" => true,
                    _ => throw QueryErrors.Parsing($"Unsupported zero_terms_query value [{JsonArgs.ParserText(value)}]"),
                };
                break;
            case "auto_generate_synonyms_phrase_query":
                // Only multi-token synonyms make this matter; the engine's analyzers have none.
                JsonArgs.ReadBool(value);
                break;
            case "slop":
                Slop = JsonArgs.ReadInt(value);
                if (Slop < 0)
                {
                    throw QueryErrors.IllegalArgument("No negative slop allowed.");
                }

                break;
            case "tie_breaker":
                TieBreaker = JsonArgs.ReadFloat(value);
                break;
            case "type":
                Type = JsonArgs.ParserText(value);
                break;
            case StandardFields.Name:
                throw StandardFields.NamedQueriesUnsupported(_query);
        }

        return true;
    }
}
