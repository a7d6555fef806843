using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// <c>bool</c>: <c>must</c> and <c>should</c> clauses score, <c>filter</c> and <c>must_not</c> do not.
/// </summary>
/// <remarks>
/// <para>Parsing follows Elasticsearch's <c>ObjectParser</c> for bool: each clause key takes one query object, an array
/// of them, or null; a failure inside a clause is reported as <c>[bool] failed to parse field [must]</c> caused by it.</para>
/// <para>Building (Elasticsearch's <c>BoolQueryBuilder.doToQuery</c>):</para>
/// <list type="number">
/// <item>No clauses at all: match_all (score 1 times boost).</item>
/// <item>must -> MUST, should -> SHOULD, must_not -> MUST_NOT, filter -> MUST of a constant-score-0 wrapper (Lucene 4.8
/// has no FILTER occur; the wrapper matches the same documents and adds nothing to the score).</item>
/// <item><c>minimum_should_match</c>, when given, is resolved against the number of should clauses; a result above 0 is
/// set on the query. Without it Lucene's rule applies, which is Elasticsearch's default: with no must/filter clause at
/// least one should clause must match, otherwise should clauses are optional.</item>
/// <item>Only must_not clauses (<c>adjust_pure_negative</c>, default true): a non-scoring match_all is added, so the
/// query matches every other document with score 0.</item>
/// </list>
/// </remarks>
internal sealed class BoolQueryBuilder : QueryNode
{
    private const string Name = "bool";

    private static readonly string[] Fields =
        ["must", "should", "must_not", "filter", "minimum_should_match", "adjust_pure_negative", StandardFields.Boost, StandardFields.Name];

    private readonly List<QueryNode> _must = [];
    private readonly List<QueryNode> _should = [];
    private readonly List<QueryNode> _mustNot = [];
    private readonly List<QueryNode> _filter = [];

    public string? MinimumShouldMatchText { get; private set; }

    public bool AdjustPureNegative { get; private set; } = true;

    public static QueryNode Parse(JsonObject body, QueryParseContext context)
    {
        var query = new BoolQueryBuilder();
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "must":
                    ParseClauses(key, value, context, query._must);
                    break;
                case "should":
                    ParseClauses(key, value, context, query._should);
                    break;
                case "must_not":
                    ParseClauses(key, value, context, query._mustNot);
                    break;
                case "filter":
                    ParseClauses(key, value, context, query._filter);
                    break;
                case "minimum_should_match":
                    if (!JsonArgs.IsScalar(value) && !JsonArgs.IsNull(value))
                    {
                        throw QueryErrors.UnsupportedValueType(Name, key, value);
                    }

                    query.MinimumShouldMatchText = JsonArgs.ParserTextOrNull(value);
                    break;
                case "adjust_pure_negative":
                    RequireScalar(key, value, allowNumber: false);
                    query.AdjustPureNegative = ParseField(key, () => JsonArgs.ReadBool(value));
                    break;
                case StandardFields.Boost:
                    RequireScalar(key, value, allowNumber: true);
                    query.Boost = ParseField(key, () => StandardFields.ParseBoost(value));
                    break;
                case StandardFields.Name:
                    throw StandardFields.NamedQueriesUnsupported(Name);
                default:
                    throw QueryErrors.UnknownField(Name, key, Fields);
            }
        }

        return query;
    }

    protected override Query DoToQuery(QueryBuildContext context)
    {
        if (_must.Count + _should.Count + _mustNot.Count + _filter.Count == 0)
        {
            return new MatchAllDocsQuery();
        }

        var query = LuceneQueries.NewBoolean();
        foreach (var clause in _must)
        {
            query.Add(clause.ToQuery(context), Occur.MUST);
        }

        foreach (var clause in _mustNot)
        {
            query.Add(clause.ToQuery(context), Occur.MUST_NOT);
        }

        foreach (var clause in _should)
        {
            query.Add(clause.ToQuery(context), Occur.SHOULD);
        }

        foreach (var clause in _filter)
        {
            query.Add(LuceneQueries.NonScoring(clause.ToQuery(context)), Occur.MUST);
        }

        if (MinimumShouldMatchText is not null)
        {
            var minimum = MinimumShouldMatch.Calculate(_should.Count, MinimumShouldMatchText, context);
            if (minimum > 0)
            {
                query.MinimumNumberShouldMatch = minimum;
            }
        }

        if (AdjustPureNegative && _mustNot.Count == query.Clauses.Count)
        {
            query.Add(LuceneQueries.NonScoring(new MatchAllDocsQuery()), Occur.MUST);
        }

        return query;
    }

    private static void ParseClauses(string key, JsonNode? value, QueryParseContext context, List<QueryNode> clauses)
    {
        switch (value)
        {
            case null:
                return;
            case JsonObject:
                clauses.Add(ParseField(key, () => context.ParseInnerQuery(value)));
                return;
            case JsonArray array:
                foreach (var element in array)
                {
                    clauses.Add(ParseField(key, () => context.ParseInnerQuery(element)));
                }

                return;
            default:
                if (JsonArgs.IsNull(value))
                {
                    return;
                }

                throw QueryErrors.UnsupportedValueType(Name, key, value);
        }
    }

    private static void RequireScalar(string key, JsonNode? value, bool allowNumber)
    {
        var accepted = JsonArgs.IsString(value) || (allowNumber ? JsonArgs.IsNumber(value) : JsonArgs.IsBoolean(value));
        if (!accepted)
        {
            throw QueryErrors.UnsupportedValueType(Name, key, value);
        }
    }

    // ObjectParser reports a field's failure as "[bool] failed to parse field [key]" caused by it. The engine's own
    // "not supported" errors pass through unwrapped, so the answer names the unsupported feature at the top.
    private static T ParseField<T>(string key, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (EngineException e) when (!QueryErrors.IsUnsupported(e))
        {
            throw QueryErrors.FailedToParseField(Name, key, e);
        }
    }}
