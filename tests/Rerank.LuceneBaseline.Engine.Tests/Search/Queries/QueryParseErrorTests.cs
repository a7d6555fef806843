using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>
/// Request-level errors: the type, status and reason Elasticsearch 8.x gives for the same query JSON (reasons from
/// Elasticsearch's query parsers, without the [line:col] prefixes the engine cannot know).
/// </summary>
public sealed class QueryParseErrorTests
{
    public static TheoryData<string, int, string, string> Cases => new()
    {
        // Query names.
        { """{"foo": {}}""", 400, "parsing_exception", "unknown query [foo]" },
        { """{"boool": {}}""", 400, "parsing_exception", "unknown query [boool] did you mean [bool]?" },
        { """{"match_": {}}""", 400, "parsing_exception", "unknown query [match_] did you mean any of [match, match_all, match_none]?" },
        { """{"fuzzy": {"title": "x"}}""", 400, "illegal_argument_exception", "query [fuzzy] is not supported by the embedded engine" },
        { """{"query_string": {"query": "x"}}""", 400, "illegal_argument_exception", "query [query_string] is not supported by the embedded engine" },
        { """{"knn": {"field": "v"}}""", 400, "illegal_argument_exception", "query [knn] is not supported by the embedded engine" },
        { """{"function_score": {}}""", 400, "illegal_argument_exception", "query [function_score] is not supported by the embedded engine" },
        { """{"nested": {}}""", 400, "illegal_argument_exception", "query [nested] is not supported by the embedded engine" },
        { """{"regexp": {"t": "a.*"}}""", 400, "illegal_argument_exception", "query [regexp] is not supported by the embedded engine" },
        { """{"boosting": {"negative": {"match_all": {}}, "negative_boost": 0.5}}""", 400, "parsing_exception", "[boosting] query requires 'positive' query" },
        { """{"boosting": {"positive": {"match_all": {}}, "negative_boost": 0.5}}""", 400, "parsing_exception", "[boosting] query requires 'negative' query" },
        { """{"boosting": {"positive": {"match_all": {}}, "negative": {"match_all": {}}}}""", 400, "parsing_exception", "[boosting] query requires 'negative_boost' to be set to be a positive value'" },
        { """{"boosting": {"positive": {"match_all": {}}, "negative": {"match_all": {}}, "negative_boost": 0.5, "foo": 1}}""", 400, "parsing_exception", "[boosting] query does not support [foo]" },

        // Shapes.
        { """{"match_all": {}, "term": {"a": "x"}}""", 400, "parsing_exception", "[match_all] malformed query, expected [END_OBJECT] but found [FIELD_NAME]" },
        { """{"match": "x"}""", 400, "parsing_exception", "[match] query malformed, no start_object after query name" },
        { """{"foo": "bar"}""", 400, "parsing_exception", "[foo] query malformed, no start_object after query name" },
        { """{}""", 400, "illegal_argument_exception", "query malformed, empty clause found" },

        // match.
        { """{"match": {}}""", 400, "parsing_exception", "No text specified for text query" },
        { """{"match": {"title": {"operator": "and"}}}""", 400, "parsing_exception", "No text specified for text query" },
        { """{"match": {"title": null}}""", 400, "parsing_exception", "No text specified for text query" },
        { """{"match": {"title": "x", "body": "y"}}""", 400, "parsing_exception", "[match] query doesn't support multiple fields, found [title] and [body]" },
        { """{"match": {"title": {"query": "x", "foo": 1}}}""", 400, "parsing_exception", "[match] query does not support [foo]" },
        { """{"match": {"title": {"query": "x", "cutoff_frequency": 0.1}}}""", 400, "parsing_exception", "[match] query does not support [cutoff_frequency]" },
        { """{"match": {"title": {"query": "x", "slop": 1}}}""", 400, "parsing_exception", "[match] query does not support [slop]" },
        { """{"match": {"title": {"query": ["x"]}}}""", 400, "parsing_exception", "[match] unknown token [START_ARRAY] after [query]" },
        { """{"match": {"title": ["x"]}}""", 500, "illegal_state_exception", "Can't get text on a START_ARRAY" },
        { """{"match": {"title": {"query": "x", "fuzziness": "AUTO"}}}""", 400, "illegal_argument_exception", "[match] query parameter [fuzziness] is not supported by the embedded engine" },
        { """{"match": {"title": {"query": "x", "prefix_length": 2}}}""", 400, "illegal_argument_exception", "[match] query parameter [prefix_length] is not supported by the embedded engine" },
        { """{"match": {"title": {"query": "x", "_name": "q1"}}}""", 400, "illegal_argument_exception", "[match] query parameter [_name] is not supported by the embedded engine" },
        { """{"match": {"title": {"query": "x", "zero_terms_query": "some"}}}""", 400, "parsing_exception", "Unsupported zero_terms_query value [some]" },
        { """{"match": {"title": {"query": "x", "operator": "xor"}}}""", 400, "illegal_argument_exception", "No enum constant org.elasticsearch.index.query.Operator.XOR" },
        { """{"match": {"title": {"query": "x", "boost": -1}}}""", 400, "illegal_argument_exception", "negative [boost] are not allowed." },
        { """{"match": {"title": {"query": "x", "boost": "abc"}}}""", 400, "number_format_exception", "For input string: \"abc\"" },
        { """{"match": {"title": {"query": "x", "lenient": "yes"}}}""", 400, "illegal_argument_exception", "Failed to parse value [yes] as only [true] or [false] are allowed." },

        // match_phrase and multi_match.
        { """{"match_phrase": {"title": {"query": "x", "operator": "and"}}}""", 400, "parsing_exception", "[match_phrase] query does not support [operator]" },
        { """{"match_phrase": {"title": {"query": "x y", "slop": -1}}}""", 400, "illegal_argument_exception", "No negative slop allowed." },
        { """{"multi_match": {"fields": ["title"]}}""", 400, "parsing_exception", "No text specified for multi_match query" },
        { """{"multi_match": {"query": "x", "type": "cross_fields"}}""", 400, "illegal_argument_exception", "[multi_match] query type [cross_fields] is not supported by the embedded engine" },
        { """{"multi_match": {"query": "x", "type": "phrase_prefix"}}""", 400, "illegal_argument_exception", "[multi_match] query type [phrase_prefix] is not supported by the embedded engine" },
        { """{"multi_match": {"query": "x", "type": "foo"}}""", 400, "parse_exception", "failed to parse [multi_match] query type [foo]. unknown type." },
        { """{"multi_match": {"query": "x", "fields": {"a": 1}}}""", 400, "parsing_exception", "[multi_match] query does not support [fields]" },
        { """{"multi_match": {"query": "x", "fields": ["title^x"]}}""", 400, "number_format_exception", "For input string: \"x\"" },
        { """{"multi_match": {"query": "x", "foo": 1}}""", 400, "parsing_exception", "[multi_match] query does not support [foo]" },
        { """{"multi_match": {"query": {"a": 1}}}""", 400, "parsing_exception", "[multi_match] unknown token [START_OBJECT] after [query]" },

        // term, terms, prefix, wildcard.
        { """{"term": {"tag": ["a", "b"]}}""", 400, "parsing_exception", "[term] query does not support array of values" },
        { """{"term": {"tag": {"value": "a", "foo": 1}}}""", 400, "parsing_exception", "[term] query does not support [foo]" },
        { """{"term": {"a": "x", "b": "y"}}""", 400, "parsing_exception", "[term] query doesn't support multiple fields, found [a] and [b]" },
        { """{"term": {}}""", 400, "illegal_argument_exception", "field name is null or empty" },
        { """{"term": {"tag": {"boost": 2}}}""", 400, "illegal_argument_exception", "value cannot be null" },
        { """{"terms": {"tag": ["a"], "other": ["b"]}}""", 400, "parsing_exception", "[terms] query does not support multiple fields" },
        { """{"terms": {"tag": {"index": "i", "id": "1", "path": "p"}}}""", 400, "illegal_argument_exception", "[terms] query terms lookup is not supported by the embedded engine" },
        { """{"terms": {"boost": 2}}""", 400, "parsing_exception", "[terms] query requires a field name, followed by array of terms or a document lookup specification" },
        { """{"terms": {"tag": ["a", null]}}""", 400, "parsing_exception", "No value specified for terms query" },
        { """{"terms": {"tag": ["a"], "foo": 1}}""", 400, "parsing_exception", "[terms] query does not support [foo]" },
        { """{"prefix": {"tag": {"value": "a", "rewrite": "top_terms_10"}}}""", 400, "illegal_argument_exception", "rewrite method [top_terms_10] is not supported by the embedded engine" },
        { """{"prefix": {"tag": {"value": "a", "rewrite": "bogus"}}}""", 400, "illegal_argument_exception", "Failed to parse rewrite_method [bogus]" },
        { """{"wildcard": {"tag": {"value": "a*", "foo": true}}}""", 400, "parsing_exception", "[wildcard] query does not support [foo]" },

        // range.
        { """{"range": {"count": {"gte": 1, "foo": 2}}}""", 400, "parsing_exception", "[range] query does not support [foo]" },
        { """{"range": {"count": 5}}""", 400, "parsing_exception", "[range] query does not support [count]" },
        { """{"range": {"a": {"gt": 1}, "b": {"gt": 2}}}""", 400, "parsing_exception", "[range] query doesn't support multiple fields, found [a] and [b]" },
        { """{"range": {"date": {"gte": "2020", "format": "yyyy-bb"}}}""", 400, "illegal_argument_exception", "Invalid format: [yyyy-bb]: Unknown pattern letter: b" },
        { """{"range": {"date": {"gte": "2020", "time_zone": "Mars/Olympus"}}}""", 400, "illegal_argument_exception", "Unknown time-zone ID: Mars/Olympus" },
        { """{"range": {"date": {"gte": "2020", "relation": "disjoint"}}}""", 400, "illegal_argument_exception", "[range] query does not support relation [disjoint]" },

        // exists, ids, match_all, match_none, constant_score, dis_max.
        { """{"exists": {}}""", 400, "parsing_exception", "[exists] must be provided with a [field]" },
        { """{"exists": {"field": ["a"]}}""", 400, "parsing_exception", "[exists] unknown token [START_ARRAY] after [field]" },
        { """{"exists": {"field": "a", "foo": 1}}""", 400, "parsing_exception", "[exists] query does not support [foo]" },
        { """{"ids": {"values": ["1"], "type": "_doc"}}""", 400, "parsing_exception", "[ids] unknown field [type]" },
        { """{"match_all": {"foo": 1}}""", 400, "parsing_exception", "[match_all] unknown field [foo]" },
        { """{"match_all": {"boost": "abc"}}""", 400, "parsing_exception", "[match_all] failed to parse field [boost]" },
        { """{"match_none": {"foo": 1}}""", 400, "parsing_exception", "[match_none] query does not support [foo]" },
        { """{"constant_score": {"boost": 2}}""", 400, "parsing_exception", "[constant_score] requires a 'filter' element" },
        { """{"constant_score": {"filter": [{"match_all": {}}]}}""", 400, "parsing_exception", "unexpected token [START_ARRAY]" },
        { """{"constant_score": {"query": {"match_all": {}}}}""", 400, "parsing_exception", "[constant_score] query does not support [query]" },
        { """{"dis_max": {"tie_breaker": 0.5}}""", 400, "parsing_exception", "[dis_max] requires 'queries' field with at least one clause" },
        { """{"dis_max": {"queries": [], "foo": 1}}""", 400, "parsing_exception", "[dis_max] query does not support [foo]" },

        // bool.
        { """{"bool": {"foo": []}}""", 400, "x_content_parse_exception", "[bool] unknown field [foo]" },
        { """{"bool": {"mus": []}}""", 400, "x_content_parse_exception", "[bool] unknown field [mus] did you mean [must]?" },
        { """{"bool": {"must": "x"}}""", 400, "x_content_parse_exception", "[bool] must doesn't support values of type: VALUE_STRING" },
        { """{"bool": {"must": [{}]}}""", 400, "x_content_parse_exception", "[bool] failed to parse field [must]" },
        { """{"bool": {"boost": true}}""", 400, "x_content_parse_exception", "[bool] boost doesn't support values of type: VALUE_BOOLEAN" },
        { """{"bool": {"should": [{"fuzzy": {"a": "b"}}]}}""", 400, "illegal_argument_exception", "query [fuzzy] is not supported by the embedded engine" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParseNode_InvalidQuery_ThrowsElasticsearchError(string json, int status, string type, string reason)
    {
        var error = ParseError(json);

        Assert.Equal((status, type, reason), (error.Status, error.Type, error.Reason));
        Assert.False(Rerank.LuceneBaseline.Engine.Search.Queries.QueryErrors.IsShardFailure(error));
    }

    [Fact]
    public void ParseNode_ErrorInsideBoolClause_WrapsItAndReportsItAsRootCause()
    {
        var error = ParseError("""{"bool": {"must": {"match": {"title": {"foo": 1}}}}}""");

        Assert.Equal(("x_content_parse_exception", "[bool] failed to parse field [must]"), (error.Type, error.Reason));
        Assert.Equal(("parsing_exception", "[match] query does not support [foo]"), (error.RootCause!.Type, error.RootCause.Reason));
        var cause = error.Extra!["caused_by"]!.AsObject();
        Assert.Equal("parsing_exception", (string?)cause["type"]);
        Assert.Equal("[match] query does not support [foo]", (string?)cause["reason"]);
    }

    [Fact]
    public void ParseNode_ErrorTwoBoolsDeep_RootCauseIsTheInnermostParsingError()
    {
        var error = ParseError("""{"bool": {"filter": [{"bool": {"should": [{"term": {"a": ["x"]}}]}}]}}""");

        Assert.Equal("[bool] failed to parse field [filter]", error.Reason);
        var inner = error.Extra!["caused_by"]!.AsObject();
        Assert.Equal("[bool] failed to parse field [should]", (string?)inner["reason"]);
        Assert.Equal("[term] query does not support array of values", error.RootCause!.Reason);
    }

    [Fact]
    public void ParseNode_EmptyClauseInBool_RootCauseIsTheWrapper()
    {
        // The cause is not an Elasticsearch exception, so Elasticsearch reports the x-content wrapper as root cause.
        var error = ParseError("""{"bool": {"must": [{}]}}""");

        Assert.Null(error.RootCause);
        var cause = error.Extra!["caused_by"]!.AsObject();
        Assert.Equal(("illegal_argument_exception", "query malformed, empty clause found"), ((string?)cause["type"], (string?)cause["reason"]));
    }

    [Fact]
    public void ParseNode_UnknownQuery_CausedByNamedObjectNotFound()
    {
        var error = ParseError("""{"bogus": {}}""");

        var cause = error.Extra!["caused_by"]!.AsObject();
        Assert.Equal(("named_object_not_found_exception", "unknown field [bogus]"), ((string?)cause["type"], (string?)cause["reason"]));
        Assert.Null(error.RootCause);
    }

    [Fact]
    public void ParseNode_MatchAllBadBoost_ChainsParsingXContentAndNumberFormat()
    {
        var error = ParseError("""{"match_all": {"boost": "abc"}}""");

        var xContent = error.Extra!["caused_by"]!.AsObject();
        Assert.Equal("x_content_parse_exception", (string?)xContent["type"]);
        var numberFormat = xContent["caused_by"]!.AsObject();
        Assert.Equal(("number_format_exception", "For input string: \"abc\""), ((string?)numberFormat["type"], (string?)numberFormat["reason"]));
    }

    [Theory]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void ParseNode_NestedBools_LimitIsThirtyLevels(int depth, bool fails)
    {
        var json = "{\"match_all\": {}}";
        for (var i = 1; i < depth; i++)
        {
            json = "{\"bool\": {\"must\": " + json + "}}";
        }

        if (!fails)
        {
            QueryDslParser.ParseNode(JsonNode.Parse(json)!.AsObject());
            return;
        }

        var error = ParseError(json);
        var root = error.RootCause ?? error;
        Assert.Contains(
            "The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]",
            error.Extra!.ToJsonString(),
            StringComparison.Ordinal);
        Assert.Equal("x_content_parse_exception", root.Type);
    }

    private static EngineException ParseError(string json) =>
        Assert.Throws<EngineException>(() => QueryDslParser.ParseNode(JsonNode.Parse(json)!.AsObject()));
}
