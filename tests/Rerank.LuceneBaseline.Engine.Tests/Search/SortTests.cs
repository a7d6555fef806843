using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class SortTests : IDisposable
{
    private const string LongMax = "9223372036854775807";

    // The same documents in one segment and in one segment each: sorting must not depend on the segmentation.
    private readonly TestIndex _one = Books.Open();
    private readonly TestIndex _many = Books.Open(segmentSize: 1);

    public void Dispose()
    {
        _one.Dispose();
        _many.Dispose();
    }

    public static TheoryData<string, string[], string> Orders => new()
    {
        { """[{"year": "asc"}]""", ["2", "1", "4", "3"], "[[1999], [2001], [2001], [2010]]" },
        { """[{"year": "desc"}, {"tag": "asc"}]""", ["3", "1", "4", "2"], """[[2010, "plant"], [2001, "food"], [2001, null], [1999, "food"]]""" },
        { """[{"tag": {"order": "asc", "missing": "_first"}}]""", ["4", "1", "2", "3"], """[[null], ["food"], ["food"], ["plant"]]""" },
        { """[{"tag": "desc"}]""", ["3", "1", "2", "4"], """[["plant"], ["food"], ["food"], [null]]""" },
        { """[{"price": "asc"}]""", ["1", "2", "3", "4"], """[[2.5], [4.0], ["Infinity"], ["Infinity"]]""" },
        { """[{"price": "desc"}]""", ["2", "1", "3", "4"], """[[4.0], [2.5], ["-Infinity"], ["-Infinity"]]""" },
        { """[{"price": {"missing": 3.0}}]""", ["1", "3", "4", "2"], "[[2.5], [3.0], [3.0], [4.0]]" },
        { """[{"published": "asc"}]""", ["1", "3", "2", "4"], $"[[1577836800000], [1623751200000], [{LongMax}], [{LongMax}]]" },
        { """[{"published": {"order": "asc", "missing": "_first"}}]""", ["2", "4", "1", "3"], "[[-9223372036854775808], [-9223372036854775808], [1577836800000], [1623751200000]]" },
        { """[{"active": "asc"}]""", ["2", "1", "3", "4"], $"[[0], [1], [{LongMax}], [{LongMax}]]" },
        { """[{"_doc": "desc"}]""", ["4", "3", "2", "1"], "[[3], [2], [1], [0]]" },
        { """[{"title.keyword": "asc"}]""", ["1", "4", "2", "3"], """[["apple pie"], ["apple tree"], ["banana split"], ["cherry tree"]]""" },
        { """["tag", {"year": "desc"}]""", ["1", "2", "3", "4"], """[["food", 2001], ["food", 1999], ["plant", 2010], [null, 2001]]""" },
        { """{"year": "asc", "_doc": "desc"}""", ["2", "4", "1", "3"], "[[1999, 1], [2001, 3], [2001, 0], [2010, 2]]" },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Search_FieldSort_OrdersHitsAndReportsSortValues(string sort, string[] expectedIds, string expectedSortValues)
    {
        foreach (var index in new[] { _one, _many })
        {
            var response = Search(index, $$"""{"sort": {{sort}}}""");

            Assert.Equal(expectedIds, SearchExecutorTests.Ids(response));
            SearchAssert.Json(expectedSortValues, new JsonArray([.. SearchExecutorTests.Hits(response).Select(h => h!["sort"]!.DeepClone())]));
            Assert.All(SearchExecutorTests.Hits(response), h => Assert.Null(h!["_score"]));
            Assert.Null(response["hits"]!["max_score"]);
        }
    }

    [Fact]
    public void Search_SortByScoreAlone_IsTheDefaultAndCarriesNoSortValues()
    {
        var hit = SearchExecutorTests.Hits(Search(_one, """{"sort": ["_score"]}"""))[0]!.AsObject();

        Assert.False(hit.ContainsKey("sort"));
        Assert.Equal(1.0, SearchAssert.Number(hit["_score"]));
    }

    [Fact]
    public void Search_SortIncludingScore_ShowsScores()
    {
        var response = Search(_one, """{"sort": ["tag", "_score"], "size": 1}""");

        SearchAssert.Json("""{"_index": "books", "_id": "1", "_score": 1.0, "sort": ["food", 1.0]}""", Without(SearchExecutorTests.Hits(response)[0]!, "_source"));
        Assert.Equal(1.0, SearchAssert.Number(response["hits"]!["max_score"]));
    }

    [Fact]
    public void Search_TrackScores_KeepsScoresWithAFieldSort()
    {
        var response = Search(_one, """{"sort": [{"year": "desc"}], "track_scores": true, "size": 1}""");

        SearchAssert.Json("""{"_index": "books", "_id": "3", "_score": 1.0, "sort": [2010]}""", Without(SearchExecutorTests.Hits(response)[0]!, "_source"));
        Assert.Equal(1.0, SearchAssert.Number(response["hits"]!["max_score"]));
    }

    [Fact]
    public void Search_UrlSort_IsAppendedAndUnknownOrdersAreDropped()
    {
        Assert.Equal(["3", "1", "4", "2"], SearchExecutorTests.Ids(Search(_one, null, ("sort", "year:desc,tag"))));
        // Elasticsearch ignores an entry whose order is neither asc nor desc.
        Assert.False(SearchExecutorTests.Hits(Search(_one, null, ("sort", "year:up")))[0]!.AsObject().ContainsKey("sort"));
    }

    [Fact]
    public void Search_SortOnTextField_FailsWithTheFielddataMessage()
    {
        SearchAssert.PhaseError(
            () => Search(_one, """{"sort": "title"}"""),
            "illegal_argument_exception",
            "Fielddata is disabled on [title] in [books]. Text fields are not optimised for operations that require per-document field data like "
            + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set "
            + "fielddata=true on [title] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
    }

    [Fact]
    public void Search_SortOnUnmappedField_FailsUnlessAnUnmappedTypeIsGiven()
    {
        var error = SearchAssert.PhaseError(() => Search(_one, """{"sort": "nope"}"""), "query_shard_exception", "No mapping found for [nope] in order to sort on");
        Assert.Equal("books", error.Extra!["root_cause"]![0]!["index"]!.GetValue<string>());

        var response = Search(_one, """{"sort": {"nope": {"unmapped_type": "long"}}}""");
        Assert.Equal(["1", "2", "3", "4"], SearchExecutorTests.Ids(response));
        SearchAssert.Json($"[{LongMax}]", SearchExecutorTests.Hits(response)[0]!["sort"]);
    }

    [Fact]
    public void Search_SortOnId_IsDisallowedAsInElasticsearch8()
    {
        SearchAssert.PhaseError(
            () => Search(_one, """{"sort": "_id"}"""),
            "illegal_argument_exception",
            "Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled");
    }

    [Fact]
    public void Search_SortModes_PickTheValueOfMultiValuedFields()
    {
        using var index = new TestIndex("multi", """{"properties": {"n": {"type": "long"}, "k": {"type": "keyword"}}}""", [("a", """{"n": [1, 5], "k": ["x", "b"]}"""), ("b", """{"n": 3, "k": "m"}""")]);

        Assert.Equal(["a", "b"], SearchExecutorTests.Ids(Search(index, """{"sort": {"n": "asc"}}""")));
        Assert.Equal(["a", "b"], SearchExecutorTests.Ids(Search(index, """{"sort": {"n": "desc"}}""")));
        SearchAssert.Json("[[5], [3]]", Sorts(Search(index, """{"sort": {"n": "desc"}}""")));
        SearchAssert.Json("[[5], [3]]", Sorts(Search(index, """{"sort": {"n": {"order": "desc", "mode": "max"}}}""")));
        SearchAssert.Json("[[3], [3]]", Sorts(Search(index, """{"sort": {"n": {"mode": "avg"}}}""")));
        SearchAssert.Json("[[6], [3]]", Sorts(Search(index, """{"sort": {"n": {"order": "desc", "mode": "sum"}}}""")));
        SearchAssert.Json("""[["b"], ["m"]]""", Sorts(Search(index, """{"sort": {"k": "asc"}}""")));
        SearchAssert.Json("""[["x"], ["m"]]""", Sorts(Search(index, """{"sort": {"k": "desc"}}""")));
    }

    [Fact]
    public void Search_SumModeOnKeyword_IsRefused()
    {
        SearchAssert.PhaseError(
            () => Search(_one, """{"sort": {"tag": {"mode": "sum"}}}"""),
            "query_shard_exception",
            "we only support AVG, MEDIAN and SUM on number based fields");
    }

    [Fact]
    public void Search_SearchAfter_ContinuesAfterTheLastSortValues()
    {
        var page1 = Search(_one, """{"sort": [{"year": "asc"}, {"_doc": "asc"}], "size": 2}""");
        Assert.Equal(["2", "1"], SearchExecutorTests.Ids(page1));
        SearchAssert.Json("[[1999, 1], [2001, 0]]", Sorts(page1));

        var page2 = Search(_one, """{"sort": [{"year": "asc"}, {"_doc": "asc"}], "size": 2, "search_after": [2001, 0]}""");
        Assert.Equal(["4", "3"], SearchExecutorTests.Ids(page2));
        Assert.Equal(4, SearchAssert.Number(page2["hits"]!["total"]!["value"]));

        Assert.Empty(SearchExecutorTests.Ids(Search(_one, """{"sort": [{"year": "asc"}, {"_doc": "asc"}], "search_after": [2010, 2]}""")));
    }

    [Fact]
    public void Search_SearchAfterOnANonUniqueSort_SkipsEveryEqualDocument()
    {
        foreach (var index in new[] { _one, _many })
        {
            Assert.Equal(["3"], SearchExecutorTests.Ids(Search(index, """{"sort": {"year": "asc"}, "search_after": [2001]}""")));
            Assert.Equal(["3"], SearchExecutorTests.Ids(Search(index, """{"sort": {"year": "asc"}, "search_after": ["2001"]}""")));
        }
    }

    [Fact]
    public void Search_SearchAfterOnKeywordsAndDates_UsesTheirOrder()
    {
        Assert.Equal(["4"], SearchExecutorTests.Ids(Search(_one, """{"sort": "tag", "search_after": ["plant"]}""")));
        Assert.Empty(SearchExecutorTests.Ids(Search(_one, """{"sort": "tag", "search_after": [null]}""")));
        Assert.Equal(["3", "2", "4"], SearchExecutorTests.Ids(Search(_one, """{"sort": "published", "search_after": ["2020-06-01"]}""")));
        Assert.Equal(["3", "2", "4"], SearchExecutorTests.Ids(Search(_one, """{"sort": "published", "search_after": [1590969600000]}""")));
    }

    [Fact]
    public void Search_SearchAfterWithWrongLength_FailsEveryShard()
    {
        SearchAssert.PhaseError(
            () => Search(_one, """{"sort": [{"year": "asc"}, "tag"], "search_after": [1]}"""),
            "illegal_argument_exception",
            "search_after has 1 value(s) but sort has 2.");
    }

    [Fact]
    public void Search_SearchAfterWithoutSort_FailsEveryShard()
    {
        SearchAssert.PhaseError(() => Search(_one, """{"search_after": [1.5]}"""), "illegal_argument_exception", "Sort must contain at least one field.");
        SearchAssert.PhaseError(() => Search(_one, """{"sort": "_score", "search_after": [1.5]}"""), "illegal_argument_exception", "Sort must contain at least one field.");
    }

    [Fact]
    public void Search_SearchAfterValueOfTheWrongType_FailsEveryShard()
    {
        SearchAssert.PhaseError(
            () => Search(_one, """{"sort": "year", "search_after": ["abc"]}"""),
            "illegal_argument_exception",
            "Failed to parse search_after value for field [year].");
    }

    [Fact]
    public void Search_SearchAfterWithFrom_FailsValidation()
    {
        SearchAssert.Error(
            () => Search(_one, """{"sort": "year", "search_after": [1], "from": 1}"""),
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;");
    }

    [Fact]
    public void Search_SortForms_ParseAsElasticsearchDoes()
    {
        Assert.Equal(["2", "1", "4", "3"], SearchExecutorTests.Ids(Search(_one, """{"sort": {"year": "ASC"}}""")));
        // A number names a field (unmapped here).
        SearchAssert.PhaseError(() => Search(_one, """{"sort": 5.5}"""), "query_shard_exception", "No mapping found for [5.5] in order to sort on");
    }

    [Theory]
    [InlineData("""{"sort": {"year": "up"}}""", "illegal_argument_exception", "Unknown SortOrder [up]")]
    [InlineData("""{"sort": [1]}""", "illegal_argument_exception", "malformed sort format, within the sort array, an object, or an actual string are allowed")]
    [InlineData("""{"sort": {"year": {"foo": 1}}}""", "x_content_parse_exception", "[field_sort] unknown field [foo]")]
    [InlineData("""{"sort": {"_score": {"missing": 1}}}""", "x_content_parse_exception", "[_score] unknown field [missing]")]
    [InlineData("""{"sort": {"_script": {"type": "number"}}}""", "illegal_argument_exception", "sorting by [_script] is not supported by the embedded engine")]
    public void Search_MalformedSort_IsRefused(string body, string type, string reason)
    {
        SearchAssert.Error(() => Search(_one, body), 400, type, reason);
    }

    private static JsonArray Sorts(JsonObject response) => new([.. SearchExecutorTests.Hits(response).Select(h => h!["sort"]!.DeepClone())]);

    private static JsonObject Without(JsonNode hit, string key)
    {
        var copy = hit.DeepClone().AsObject();
        copy.Remove(key);
        return copy;
    }

    private static JsonObject Search(TestIndex index, string? body, params (string Name, string Value)[] url) => index.Search(body, url);
}
