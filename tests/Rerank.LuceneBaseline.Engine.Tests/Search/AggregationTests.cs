using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class AggregationTests : IDisposable
{
    // tag: food (1, 2), plant (3), none (4); year: 2001 (1, 4), 1999 (2), 2010 (3); price: 2.5 (1), 4.0 (2);
    // published: 2020-01-01 (1), 2021-06-15T10:00Z (3); active: true (1), false (2).
    private const string KeywordT = """{"properties": {"t": {"type": "keyword"}}}""";

    private readonly TestIndex _books = Books.Open();

    public void Dispose() => _books.Dispose();

    public static TheoryData<string, string> TermsCases => new()
    {
        { """{"field": "tag"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 2}, {"key": "plant", "doc_count": 1}]}""" },
        { """{"field": "tag", "size": 1}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 1, "buckets": [{"key": "food", "doc_count": 2}]}""" },
        { """{"field": "tag", "order": {"_key": "desc"}}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "plant", "doc_count": 1}, {"key": "food", "doc_count": 2}]}""" },
        { """{"field": "tag", "order": {"_count": "asc"}}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "plant", "doc_count": 1}, {"key": "food", "doc_count": 2}]}""" },
        { """{"field": "tag", "missing": "none"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 2}, {"key": "none", "doc_count": 1}, {"key": "plant", "doc_count": 1}]}""" },
        { """{"field": "year"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": 2001, "doc_count": 2}, {"key": 1999, "doc_count": 1}, {"key": 2010, "doc_count": 1}]}""" },
        { """{"field": "price"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": 2.5, "doc_count": 1}, {"key": 4.0, "doc_count": 1}]}""" },
        {
            """{"field": "published"}""",
            """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": 1577836800000, "key_as_string": "2020-01-01T00:00:00.000Z", "doc_count": 1}, {"key": 1623751200000, "key_as_string": "2021-06-15T10:00:00.000Z", "doc_count": 1}]}"""
        },
        { """{"field": "active"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": 0, "key_as_string": "false", "doc_count": 1}, {"key": 1, "key_as_string": "true", "doc_count": 1}]}""" },
        { """{"field": "nope"}""", """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []}""" },
    };

    [Theory]
    [MemberData(nameof(TermsCases))]
    public void Search_TermsAggregation_CountsBucketsLikeElasticsearch(string terms, string expected)
    {
        var response = Search($$$"""{"size": 0, "aggs": {"a": {"terms": {{{terms}}} } } }""");

        SearchAssert.Json(expected, response["aggregations"]!["a"]);
    }

    [Fact]
    public void Search_TermsWithMinDocCountZero_ListsTermsNoHitHas()
    {
        // q=year:1999 matches document 2 only.
        SearchAssert.Json(
            """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 1}, {"key": "plant", "doc_count": 0}]}""",
            Search("""{"aggs": {"a": {"terms": {"field": "tag", "min_doc_count": 0}}}}""", ("q", "year:1999"))["aggregations"]!["a"]);
        SearchAssert.Json(
            """{"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [{"key": "food", "doc_count": 1}]}""",
            Search("""{"aggs": {"a": {"terms": {"field": "tag"}}}}""", ("q", "year:1999"))["aggregations"]!["a"]);
    }

    [Fact]
    public void Search_TermsWithSubAggregation_ComputesItPerBucket()
    {
        var response = Search("""{"size": 0, "aggs": {"tags": {"terms": {"field": "tag"}, "aggs": {"avg_year": {"avg": {"field": "year"}}}}}}""");

        SearchAssert.Json("""
            {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
              {"key": "food", "doc_count": 2, "avg_year": {"value": 2000.0}},
              {"key": "plant", "doc_count": 1, "avg_year": {"value": 2010.0}}]}
            """, response["aggregations"]!["tags"]);
    }

    [Fact]
    public void Search_TermsOrderedBySubAggregation_SortsBucketsByItsValue()
    {
        // Largest price per year: 1999 -> 4.0, 2001 -> 2.5 (document 4 has none), 2010 -> none (last).
        var response = Search("""{"size": 0, "aggs": {"y": {"terms": {"field": "year", "order": {"max_price": "desc"}}, "aggs": {"max_price": {"max": {"field": "price"}}}}}}""");

        SearchAssert.Json("""
            {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
              {"key": 1999, "doc_count": 1, "max_price": {"value": 4.0}},
              {"key": 2001, "doc_count": 2, "max_price": {"value": 2.5}},
              {"key": 2010, "doc_count": 1, "max_price": {"value": null}}]}
            """, response["aggregations"]!["y"]);
    }

    public static TheoryData<string, string> MetricCases => new()
    {
        { """{"min": {"field": "year"}}""", """{"value": 1999.0}""" },
        { """{"max": {"field": "year"}}""", """{"value": 2010.0}""" },
        { """{"avg": {"field": "year"}}""", """{"value": 2002.75}""" },
        { """{"sum": {"field": "year"}}""", """{"value": 8011.0}""" },
        { """{"value_count": {"field": "year"}}""", """{"value": 4}""" },
        { """{"cardinality": {"field": "year"}}""", """{"value": 3}""" },
        { """{"value_count": {"field": "tag"}}""", """{"value": 3}""" },
        { """{"cardinality": {"field": "tag"}}""", """{"value": 2}""" },
        { """{"stats": {"field": "price"}}""", """{"count": 2, "min": 2.5, "max": 4.0, "avg": 3.25, "sum": 6.5}""" },
        { """{"stats": {"field": "nope"}}""", """{"count": 0, "min": null, "max": null, "avg": null, "sum": 0.0}""" },
        { """{"min": {"field": "published"}}""", """{"value": 1577836800000, "value_as_string": "2020-01-01T00:00:00.000Z"}""" },
        { """{"max": {"field": "active"}}""", """{"value": 1.0, "value_as_string": "true"}""" },
        { """{"avg": {"field": "nope"}}""", """{"value": null}""" },
        { """{"sum": {"field": "nope"}}""", """{"value": 0.0}""" },
        { """{"max": {"field": "price", "missing": 1000}}""", """{"value": 1000.0}""" },
        { """{"missing": {"field": "tag"}}""", """{"doc_count": 1}""" },
        { """{"missing": {"field": "price"}, "aggs": {"y": {"max": {"field": "year"}}}}""", """{"doc_count": 2, "y": {"value": 2010.0}}""" },
    };

    [Theory]
    [MemberData(nameof(MetricCases))]
    public void Search_MetricAggregation_ComputesTheValue(string aggregation, string expected)
    {
        SearchAssert.Json(expected, Search($$$"""{"size": 0, "aggs": {"m": {{{aggregation}}} } }""")["aggregations"]!["m"]);
    }

    [Fact]
    public void Search_TypedKeys_PrefixesNamesWithTheType()
    {
        var response = Search(
            """{"size": 0, "aggs": {"tags": {"terms": {"field": "tag", "size": 1}, "aggs": {"y": {"avg": {"field": "year"}}}}, "years": {"terms": {"field": "year", "size": 1}}, "p": {"terms": {"field": "price", "size": 1}}}}""",
            ("typed_keys", "true"));

        var aggregations = response["aggregations"]!.AsObject();
        Assert.Equal(["sterms#tags", "lterms#years", "dterms#p"], aggregations.Select(a => a.Key));
        Assert.NotNull(aggregations["sterms#tags"]!["buckets"]![0]!["avg#y"]);
    }

    [Fact]
    public void Search_AggregationMeta_IsEchoed()
    {
        SearchAssert.Json("""{"meta": {"owner": "me"}, "value": 2010.0}""", Search("""{"aggs": {"m": {"max": {"field": "year"}, "meta": {"owner": "me"}}}}""")["aggregations"]!["m"]);
    }

    [Fact]
    public void Search_AggregationsWithMinScore_SeeOnlyDocumentsAtOrAboveIt()
    {
        Assert.Equal(0, SearchAssert.Number(Search("""{"min_score": 2, "aggs": {"c": {"value_count": {"field": "year"}}}}""")["aggregations"]!["c"]!["value"]));
    }

    [Fact]
    public void Search_TermsOverSeveralIndices_ReportsShardErrorsAndOtherCounts()
    {
        using var first = new TestIndex("first", KeywordT, Tags("a", "a", "a", "b", "b", "c"));
        using var second = new TestIndex("second", KeywordT, Tags("b", "b", "b", "c", "c", "d"));

        var response = SearchExecutor.Search(
            [first.Target, second.Target],
            SearchExecutorTests.Body("""{"size": 0, "aggs": {"t": {"terms": {"field": "t", "size": 2, "shard_size": 2, "show_term_doc_count_error": true}}}}"""),
            SearchParameters.None,
            CancellationToken.None);

        // first returns a:3, b:2 (c:1 left out, error bound 2); second returns b:3, c:2 (d:1 left out, error bound 2).
        // Merged: b:5, a:3, c:2; the best two are kept and c's 2 joins the others: 1 + 1 + 2 = 4.
        SearchAssert.Json("""
            {"doc_count_error_upper_bound": 4, "sum_other_doc_count": 4, "buckets": [
              {"key": "b", "doc_count": 5, "doc_count_error_upper_bound": 0},
              {"key": "a", "doc_count": 3, "doc_count_error_upper_bound": 2}]}
            """, response["aggregations"]!["t"]);
    }

    [Fact]
    public void Search_AggregationOnTextField_FailsWithTheFielddataMessage()
    {
        SearchAssert.PhaseError(
            () => Search("""{"aggs": {"a": {"terms": {"field": "title"}}}}"""),
            "illegal_argument_exception",
            "Fielddata is disabled on [title] in [books]. Text fields are not optimised for operations that require per-document field data like "
            + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set "
            + "fielddata=true on [title] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
    }

    [Fact]
    public void Search_NumericMetricOnKeyword_FailsTheShard()
    {
        SearchAssert.PhaseError(
            () => Search("""{"aggs": {"a": {"min": {"field": "tag"}}}}"""),
            "illegal_argument_exception",
            "Field [tag] of type [keyword] is not supported for aggregation [min]");
    }

    [Theory]
    [InlineData("""{"a": {"term": {"field": "tag"}}}""", 400, "parsing_exception", "Unknown aggregation type [term] did you mean [terms]?")]
    [InlineData("""{"a": {"avgg": {"field": "tag"}}}""", 400, "parsing_exception", "Unknown aggregation type [avgg] did you mean [avg]?")]
    [InlineData("""{"a": {"foo": {}}}""", 400, "parsing_exception", "Unknown aggregation type [foo]")]
    [InlineData("""{"a": {"histogram": {"field": "year", "interval": 10}}}""", 400, "illegal_argument_exception", "aggregation type [histogram] is not supported by the embedded engine")]
    [InlineData("""{"a": 1}""", 400, "parsing_exception", "Aggregation definition for [a starts with a [VALUE_NUMBER], expected a [START_OBJECT].")]
    [InlineData("""{"a": {}}""", 400, "parsing_exception", "Missing definition for aggregation [a]")]
    [InlineData("""{"a": {"terms": {"field": "tag"}, "max": {"field": "year"}}}""", 400, "parsing_exception", "Found two aggregation type definitions in [a]: [terms] and [max]")]
    [InlineData("""{"a": {"terms": 1}}""", 400, "parsing_exception", "Expected [START_OBJECT] under [terms], but got a [VALUE_NUMBER] in [a]")]
    [InlineData("""{"a>b": {"max": {"field": "year"}}}""", 400, "parsing_exception", "Invalid aggregation name [a>b]. Aggregation names can contain any character except '[', ']', and '>'")]
    [InlineData("""{"a": {"terms": {"field": "tag", "size": 0}}}""", 400, "illegal_argument_exception", "[size] must be greater than 0. Found [0] in [a]")]
    [InlineData("""{"a": {"terms": {"field": "tag", "foo": 1}}}""", 400, "x_content_parse_exception", "[terms] unknown field [foo]")]
    [InlineData("""{"a": {"terms": {}}}""", 400, "illegal_argument_exception", "Required one of fields [field, script], but none were specified.")]
    [InlineData("""{"a": {"max": {"field": "year"}, "aggs": {"b": {"min": {"field": "year"}}}}}""", 500, "aggregation_initialization_exception", "Aggregator [a] of type [max] cannot accept sub-aggregations")]
    public void Search_MalformedAggregations_AreRefusedLikeElasticsearch(string aggs, int status, string type, string reason)
    {
        SearchAssert.Error(() => Search($$$"""{"aggs": {{{aggs}}} }"""), status, type, reason);
    }

    private static IEnumerable<(string, string)> Tags(params string[] tags) => tags.Select((t, i) => (i.ToString(), $$"""{"t": "{{t}}"}"""));

    private JsonObject Search(string body, params (string Name, string Value)[] url) => _books.Search(body, url);
}
