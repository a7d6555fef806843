using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class SearchRequestParserTests
{
    [Theory]
    [InlineData("""{"foo": {}}""", "Unknown key for a START_OBJECT in [foo].")]
    [InlineData("""{"foo": []}""", "Unknown key for a START_ARRAY in [foo].")]
    [InlineData("""{"foo": 1}""", "Unknown key for a VALUE_NUMBER in [foo].")]
    [InlineData("""{"foo": "x"}""", "Unknown key for a VALUE_STRING in [foo].")]
    [InlineData("""{"foo": true}""", "Unknown key for a VALUE_BOOLEAN in [foo].")]
    [InlineData("""{"foo": null}""", "Unknown key for a VALUE_NULL in [foo].")]
    [InlineData("""{"query": "x"}""", "Unknown key for a VALUE_STRING in [query].")]
    [InlineData("""{"query": null}""", "Unknown key for a VALUE_NULL in [query].")]
    [InlineData("""{"from": []}""", "Unknown key for a START_ARRAY in [from].")]
    [InlineData("""{"size": {}}""", "Unknown key for a START_OBJECT in [size].")]
    [InlineData("""{"aggs": []}""", "Unknown key for a START_ARRAY in [aggs].")]
    [InlineData("""{"sort": null}""", "Unknown key for a VALUE_NULL in [sort].")]
    [InlineData("""{"_source": 5}""", "Expected one of [VALUE_BOOLEAN, VALUE_STRING, START_ARRAY, START_OBJECT] but found [VALUE_NUMBER]")]
    [InlineData("""{"_source": {"foo": "x"}}""", "Unknown key for a VALUE_STRING in [foo].")]
    [InlineData("""{"search_after": [{}]}""", "Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [START_OBJECT] inside search_after.")]
    public void Parse_MalformedKey_IsAParsingException(string body, string reason)
    {
        SearchAssert.Error(() => Parse(body), 400, "parsing_exception", reason);
    }

    [Theory]
    [InlineData("""{"suggest": {}}""", "suggest")]
    [InlineData("""{"rescore": {"window_size": 10}}""", "rescore")]
    [InlineData("""{"rescore": []}""", "rescore")]
    [InlineData("""{"collapse": {"field": "tag"}}""", "collapse")]
    [InlineData("""{"indices_boost": [{"books": 2}]}""", "indices_boost")]
    [InlineData("""{"script_fields": {}}""", "script_fields")]
    [InlineData("""{"runtime_mappings": {}}""", "runtime_mappings")]
    [InlineData("""{"retriever": {}}""", "retriever")]
    [InlineData("""{"rank": {}}""", "rank")]
    [InlineData("""{"ext": {}}""", "ext")]
    [InlineData("""{"sub_searches": []}""", "sub_searches")]
    [InlineData("""{"profile": true}""", "profile")]
    public void Parse_SectionTheEngineLacks_IsRefusedNamingIt(string body, string key)
    {
        SearchAssert.Error(() => Parse(body), 400, "illegal_argument_exception", $"[{key}] is not supported by the embedded engine");
    }

    [Theory]
    [InlineData("""{"from": -1}""", "illegal_argument_exception", "[from] parameter cannot be negative but was [-1]")]
    [InlineData("""{"size": -1}""", "illegal_argument_exception", "[size] parameter cannot be negative, found [-1]")]
    [InlineData("""{"from": "abc"}""", "number_format_exception", "For input string: \"abc\"")]
    [InlineData("""{"from": true}""", "x_content_parse_exception", "Current token (VALUE_TRUE) not numeric, can not use numeric value accessors")]
    [InlineData("""{"size": null}""", "x_content_parse_exception", "Current token (VALUE_NULL) not numeric, can not use numeric value accessors")]
    [InlineData("""{"size": 3000000000}""", "x_content_parse_exception", "Numeric value (3000000000) out of range of int (-2147483648 - 2147483647)")]
    [InlineData("""{"version": "yes"}""", "illegal_argument_exception", "Failed to parse value [yes] as only [true] or [false] are allowed.")]
    [InlineData("""{"version": 1}""", "x_content_parse_exception", "Current token (VALUE_NUMBER_INT) not of boolean type")]
    [InlineData("""{"track_total_hits": -2}""", "illegal_argument_exception", "[track_total_hits] parameter must be positive or equals to -1, got -2")]
    [InlineData("""{"terminate_after": -1}""", "illegal_argument_exception", "terminateAfter must be > 0")]
    [InlineData("""{"timeout": "10"}""", "illegal_argument_exception", "failed to parse setting [timeout] with value [10] as a time value: unit is missing or unrecognized")]
    public void Parse_BadValue_FailsWithElasticsearchsError(string body, string type, string reason)
    {
        SearchAssert.Error(() => Parse(body), 400, type, reason);
    }

    [Fact]
    public void Parse_ValuesAsStrings_AreCoerced()
    {
        var request = Parse("""{"from": "2", "size": "5", "min_score": "0.5", "version": "true", "timeout": "10ms", "stats": ["group"]}""");

        Assert.Equal((2, 5, 0.5f, true, TimeSpan.FromMilliseconds(10)), (request.From, request.Size, request.MinScore, request.Version, request.Timeout));
    }

    [Theory]
    [InlineData("10nanos", 0)]
    [InlineData("1500micros", 15_000)]
    [InlineData("250ms", 2_500_000)]
    [InlineData("2s", 20_000_000)]
    [InlineData("1m", 600_000_000)]
    [InlineData("0", 0)]
    public void ParseTimeValue_Units_AreElasticsearchs(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), SearchRequestParser.ParseTimeValue(text, "timeout"));
        Assert.Null(SearchRequestParser.ParseTimeValue("-1", "timeout"));
    }

    [Theory]
    [InlineData(new[] { "fro" }, "request [/books/_search] contains unrecognized parameter: [fro] -> did you mean [from]?")]
    [InlineData(new[] { "track_score" }, "request [/books/_search] contains unrecognized parameter: [track_score] -> did you mean [track_scores]?")]
    [InlineData(new[] { "zzz", "fro" }, "request [/books/_search] contains unrecognized parameters: [fro] -> did you mean [from]?, [zzz]")]
    [InlineData(new[] { "szie" }, "request [/books/_search] contains unrecognized parameter: [szie]")]
    public void Parse_UnknownUrlParameter_IsRefusedWithSuggestions(string[] names, string reason)
    {
        var parameters = new SearchParameters { Values = names.ToDictionary(n => n, _ => "1"), Path = "/books/_search" };

        SearchAssert.Error(() => SearchRequestParser.Parse(null, parameters), 400, "illegal_argument_exception", reason);
    }

    [Theory]
    [InlineData("size", "abc", "Failed to parse int parameter [size] with value [abc]")]
    [InlineData("version", "maybe", "Failed to parse value [maybe] as only [true] or [false] are allowed.")]
    [InlineData("search_type", "dfs", "No search type for [dfs]")]
    [InlineData("scroll", "1m", "the [scroll] parameter is not supported by the embedded engine")]
    [InlineData("terminate_after", "-1", "terminateAfter must be > 0")]
    [InlineData("default_operator", "xor", "operator needs to be either or, and, but not [xor]")]
    public void Parse_BadUrlParameter_IsRefused(string name, string value, string reason)
    {
        SearchAssert.Error(() => Parse(null, (name, value), ("q", "x")), 400, "illegal_argument_exception", reason);
    }

    [Fact]
    public void Parse_HarmlessUrlParameters_AreAccepted()
    {
        var request = Parse(
            null,
            ("request_cache", "true"), ("preference", "_local"), ("routing", "r"), ("ignore_unavailable", "true"), ("allow_no_indices", "false"),
            ("expand_wildcards", "open"), ("ccs_minimize_roundtrips", "false"), ("typed_keys", ""), ("search_type", "query_then_fetch"),
            ("batched_reduce_size", "512"));

        Assert.True(request.TypedKeys);
        Assert.False(request.Dfs);
    }

    [Fact]
    public void Parse_UrlParameters_OverrideTheBody()
    {
        var request = Parse(
            """{"from": 1, "size": 2, "version": false, "track_total_hits": false, "sort": ["tag"]}""",
            ("from", "3"), ("size", "4"), ("version", "true"), ("track_total_hits", "100"), ("sort", "year:desc"), ("search_type", "dfs_query_then_fetch"));

        Assert.Equal((3, 4, true, 100, true), (request.From, request.Size, request.Version, request.TrackTotalHitsUpTo, request.Dfs));
        Assert.Equal([("tag", false), ("year", true)], request.Sort!.Select(s => (s.Field, s.Descending)));
    }

    [Fact]
    public void ParseCount_OnlyQueryIsAllowedInTheBody()
    {
        SearchAssert.Error(() => SearchRequestParser.ParseCount(SearchExecutorTests.Body("""{"aggs": {}}"""), SearchParameters.None), 400, "parsing_exception", "request does not support [aggs]");
        var parameters = new SearchParameters { Values = new Dictionary<string, string> { ["size"] = "1" }, Path = "/books/_count" };
        SearchAssert.Error(() => SearchRequestParser.ParseCount(null, parameters), 400, "illegal_argument_exception", "request [/books/_count] contains unrecognized parameter: [size]");
    }

    private static SearchRequest Parse(string? body, params (string Name, string Value)[] url) =>
        SearchRequestParser.Parse(
            SearchExecutorTests.Body(body),
            new SearchParameters { Values = url.ToDictionary(p => p.Name, p => p.Value), Path = "/books/_search" });
}
