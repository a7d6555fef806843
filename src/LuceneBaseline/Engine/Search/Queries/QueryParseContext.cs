using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Parses query-DSL objects (<c>{"match": {...}}</c>) into <see cref="QueryNode"/>s, as Elasticsearch's
/// <c>AbstractQueryBuilder.parseInnerQueryBuilder</c> does: one query name per object, its body an object, nesting
/// at most <see cref="MaxNestedDepth"/> deep. Not thread-safe: one instance per request.
/// </summary>
internal sealed class QueryParseContext
{
    /// <summary><c>indices.query.bool.max_nested_depth</c> (Elasticsearch's default).</summary>
    public const int MaxNestedDepth = 30;

    private static readonly FrozenDictionary<string, Func<JsonObject, QueryParseContext, QueryNode>> Parsers =
        new Dictionary<string, Func<JsonObject, QueryParseContext, QueryNode>>(StringComparer.Ordinal)
        {
            ["bool"] = BoolQueryBuilder.Parse,
            ["boosting"] = BoostingQueryBuilder.Parse,
            ["constant_score"] = ConstantScoreQueryBuilder.Parse,
            ["dis_max"] = DisMaxQueryBuilder.Parse,
            ["exists"] = ExistsQueryBuilder.Parse,
            ["ids"] = IdsQueryBuilder.Parse,
            ["match"] = MatchQueryBuilder.Parse,
            ["match_all"] = MatchAllQueryBuilder.Parse,
            ["match_none"] = MatchNoneQueryBuilder.Parse,
            ["match_phrase"] = MatchPhraseQueryBuilder.Parse,
            ["multi_match"] = MultiMatchQueryBuilder.Parse,
            ["prefix"] = PrefixQueryBuilder.Parse,
            ["range"] = RangeQueryBuilder.Parse,
            ["term"] = TermQueryBuilder.Parse,
            ["terms"] = TermsQueryBuilder.Parse,
            ["wildcard"] = WildcardQueryBuilder.Parse,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    // The other queries an Elasticsearch 8.x/9.x default distribution registers: named as unsupported rather than
    // unknown, and offered with the supported ones as "did you mean" candidates.
    private static readonly FrozenSet<string> UnsupportedQueries = new[]
    {
        "combined_fields", "distance_feature", "field_masking_span", "function_score", "fuzzy",
        "geo_bounding_box", "geo_distance", "geo_grid", "geo_polygon", "geo_shape", "has_child", "has_parent",
        "intervals", "knn", "match_bool_prefix", "match_phrase_prefix", "more_like_this", "nested", "parent_id",
        "percolate", "pinned", "query_string", "rank_feature", "regexp", "rule", "script", "script_score", "semantic",
        "shape", "simple_query_string", "span_containing", "span_field_masking", "span_first", "span_multi",
        "span_near", "span_not", "span_or", "span_term", "span_within", "sparse_vector", "terms_set",
        "text_expansion", "weighted_tokens", "wrapper",
    }.ToFrozenSet(StringComparer.Ordinal);

    private int _depth;

    /// <summary>Every query name Elasticsearch knows, supported or not.</summary>
    public static IEnumerable<string> KnownQueryNames => Parsers.Keys.Concat(UnsupportedQueries);

    /// <summary>Whether the embedded engine implements the query named <paramref name="name"/>.</summary>
    public static bool IsSupported(string name) => Parsers.ContainsKey(name);

    /// <summary>Parses one query object: exactly one key, the query name, whose value is the query's body.</summary>
    public QueryNode ParseInnerQuery(JsonNode? node)
    {
        if (node is not JsonObject query)
        {
            throw QueryErrors.Parsing("[_na] query malformed, must start with start_object");
        }

        if (query.Count == 0)
        {
            throw QueryErrors.IllegalArgument("query malformed, empty clause found");
        }

        using var properties = query.GetEnumerator();
        properties.MoveNext();
        var (name, body) = properties.Current;
        if (body is not JsonObject bodyObject)
        {
            throw QueryErrors.Parsing($"[{name}] query malformed, no start_object after query name");
        }

        if (++_depth > MaxNestedDepth)
        {
            throw QueryErrors.IllegalArgument(
                "The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]");
        }

        QueryNode result;
        if (Parsers.TryGetValue(name, out var parse))
        {
            result = parse(bodyObject, this);
        }
        else if (UnsupportedQueries.Contains(name))
        {
            throw QueryErrors.UnsupportedQuery(name);
        }
        else
        {
            throw QueryErrors.Parsing(
                $"unknown query [{name}]{Suggestions.DidYouMean(name, KnownQueryNames)}",
                new Errors.EngineException(400, "named_object_not_found_exception", $"unknown field [{name}]"));
        }

        _depth--;
        if (properties.MoveNext())
        {
            throw QueryErrors.Parsing($"[{name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]");
        }

        return result;
    }
}
