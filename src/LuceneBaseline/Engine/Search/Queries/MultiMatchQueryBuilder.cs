using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>multi_match</c>: one <c>match</c> (or <c>match_phrase</c>) per field, combined by <c>type</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>fields</c>: names, <c>*</c> patterns (<c>title*</c>) and <c>^boost</c> suffixes (<c>title^2</c>); a field
/// named by several entries gets the product of their boosts. Patterns skip fields match cannot search (dense_vector).
/// Without <c>fields</c> the index's <c>index.query.default_field</c> applies, which is <c>*</c> (the engine has no
/// setting for it): every field, with <c>lenient</c> defaulting to true as in Elasticsearch.</item>
/// <item><c>best_fields</c> (default): dis_max of the field queries, <c>tie_breaker</c> default 0.</item>
/// <item><c>most_fields</c>: the same with <c>tie_breaker</c> default 1, so field scores add up.</item>
/// <item><c>phrase</c>: dis_max of per-field phrase queries (<c>slop</c>), <c>tie_breaker</c> default 0.</item>
/// <item><c>cross_fields</c>, <c>phrase_prefix</c>, <c>bool_prefix</c> are refused as unsupported (cross_fields blends
/// term statistics across fields, prefixes expand terms; neither is implemented).</item>
/// </list>
/// <c>operator</c>, <c>minimum_should_match</c>, <c>analyzer</c>, <c>lenient</c> and <c>zero_terms_query</c> apply to
/// each field's query; each field's boost multiplies its query.
/// </remarks>
internal sealed class MultiMatchQueryBuilder : QueryNode
{
    private const string Name = "multi_match";

    /// <summary>Lucene 4.8's clause limit, which Elasticsearch also applies to field expansion.</summary>
    private const int MaxFields = 1024;

    private static readonly Dictionary<string, MultiMatchType> Types = new(StringComparer.Ordinal)
    {
        ["best_fields"] = MultiMatchType.BestFields,
        ["boolean"] = MultiMatchType.BestFields,
        ["most_fields"] = MultiMatchType.MostFields,
        ["phrase"] = MultiMatchType.Phrase,
    };

    private static readonly HashSet<string> UnsupportedTypes = new(StringComparer.Ordinal) { "cross_fields", "phrase_prefix", "bool_prefix" };

    private readonly List<(string Field, float Boost)> _fields = [];

    private MultiMatchQueryBuilder(JsonNode value, MatchParameters parameters, MultiMatchType type)
    {
        Value = value;
        Parameters = parameters;
        Type = type;
    }

    public JsonNode Value { get; }

    public MultiMatchType Type { get; }

    public IReadOnlyList<(string Field, float Boost)> Fields => _fields;

    private MatchParameters Parameters { get; }

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        JsonNode? value = null;
        var fields = new List<(string, float)>();
        var parameters = new MatchParameters(Name);
        foreach (var (key, node) in body)
        {
            if (key == "fields")
            {
                if (node is JsonArray array)
                {
                    foreach (var element in array)
                    {
                        SetField(fields, ParseFieldAndBoost(element));
                    }
                }
                else if (JsonArgs.IsScalar(node))
                {
                    SetField(fields, ParseFieldAndBoost(node));
                }
                else
                {
                    throw QueryErrors.DoesNotSupport(Name, key);
                }
            }
            else if (!JsonArgs.IsScalar(node))
            {
                throw QueryErrors.UnknownToken(Name, node, key);
            }
            else if (key == "query")
            {
                value = MatchParameters.ObjectText(node);
            }
            else if (!parameters.TryParse(key, node))
            {
                throw QueryErrors.DoesNotSupport(Name, key);
            }
        }

        if (value is null)
        {
            throw QueryErrors.Parsing("No text specified for multi_match query");
        }

        var type = MultiMatchType.BestFields;
        if (parameters.Type is { } typeName)
        {
            if (UnsupportedTypes.Contains(typeName))
            {
                throw QueryErrors.Unsupported($"[{Name}] query type [{typeName}]");
            }

            type = Types.TryGetValue(typeName, out var known)
                ? known
                : throw QueryErrors.Parse($"failed to parse [{Name}] query type [{typeName}]. unknown type.");
        }

        StandardFields.CheckBoost(parameters.Boost);
        var query = new MultiMatchQueryBuilder(value, parameters, type) { Boost = parameters.Boost };
        query._fields.AddRange(fields);
        return query;
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        var analyzer = MatchQueryParser.ResolveAnalyzer(context, Name, Parameters.Analyzer);
        var patterns = _fields.Count == 0 ? [("*", 1f)] : _fields;
        var lenient = Parameters.Lenient ?? patterns.Any(p => p.Item1 == "*");
        var resolved = ResolveFields(context, patterns);
        if (resolved.Count > MaxFields)
        {
            throw context.ShardFailure(QueryErrors.IllegalArgument($"field expansion matches too many fields, limit: {MaxFields}, got: {resolved.Count}"));
        }

        if (resolved.Count == 0)
        {
            return new MatchNoDocsQuery($"unmapped fields [{string.Join(", ", patterns.Select(p => p.Item1))}]");
        }

        var options = new MatchOptions(Parameters.Operator, analyzer, Parameters.Slop, lenient, Parameters.ZeroTermsAll, Parameters.MinimumShouldMatch);
        var matchType = Type == MultiMatchType.Phrase ? MatchType.Phrase : MatchType.Boolean;
        var queries = new List<Query>();
        foreach (var (field, boost) in resolved)
        {
            var query = MatchQueryParser.Build(context, matchType, field, Value, options);
            if (boost != 1f && query is not MatchNoDocsQuery)
            {
                query.Boost *= boost;
            }

            queries.Add(query);
        }

        if (queries.Count == 1)
        {
            return queries[0];
        }

        var tieBreaker = Parameters.TieBreaker ?? (Type == MultiMatchType.MostFields ? 1f : 0f);
        var disMax = new DisjunctionMaxQuery(tieBreaker);
        foreach (var query in queries)
        {
            disMax.Add(query);
        }

        return disMax;
    }

    // Elasticsearch's QueryParserHelper.resolveMappingFields: names are taken as mapped; patterns also skip fields
    // match cannot search; "*" skips metadata fields; boosts multiply when several entries name one field.
    private static List<(string Field, float Boost)> ResolveFields(QueryBuildContext context, IReadOnlyList<(string, float)> patterns)
    {
        var resolved = new List<(string Field, float Boost)>();
        foreach (var (pattern, boost) in patterns)
        {
            var isPattern = pattern.Contains('*', StringComparison.Ordinal);
            IEnumerable<string> names = pattern == QueryBuildContext.IdField ? [pattern] : context.MatchingFieldNames(pattern);
            foreach (var name in names)
            {
                if (isPattern && context.LeafField(name)?.Type is FieldType.DenseVector or FieldType.Binary)
                {
                    continue;
                }

                var index = resolved.FindIndex(r => r.Field == name);
                if (index >= 0)
                {
                    resolved[index] = (name, resolved[index].Boost * boost);
                }
                else
                {
                    resolved.Add((name, boost));
                }
            }
        }

        return resolved;
    }

    private static void SetField(List<(string Field, float Boost)> fields, (string Field, float Boost) field)
    {
        var index = fields.FindIndex(f => f.Field == field.Field);
        if (index >= 0)
        {
            fields[index] = field;
        }
        else
        {
            fields.Add(field);
        }
    }

    private static (string Field, float Boost) ParseFieldAndBoost(JsonNode? element)
    {
        var text = JsonArgs.ParserText(element);
        var caret = text.IndexOf('^', StringComparison.Ordinal);
        if (caret < 0)
        {
            return (text, 1f);
        }

        var boostText = text[(caret + 1)..];
        var boost = JavaNumbers.ParseDouble(boostText) ?? throw QueryErrors.NumberFormat(boostText);
        return (text[..caret], (float)boost);
    }
}
