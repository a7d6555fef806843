using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class FieldsTests : IDisposable
{
    private readonly TestIndex _books = Books.Open();

    public void Dispose() => _books.Dispose();

    [Fact]
    public void Search_Fields_ReturnsTypedValuesAsArrays()
    {
        var hit = FirstHit(_books, """{"fields": ["title", "title.keyword", "tag", "year", "price", "published", "active"], "_source": false}""");

        SearchAssert.Json("""
            {"_index": "books", "_id": "1", "_score": 1.0, "fields": {
              "title": ["apple pie"], "title.keyword": ["apple pie"], "tag": ["food"], "year": [2001], "price": [2.5],
              "published": ["2020-01-01T00:00:00.000Z"], "active": [true]}}
            """, hit);
    }

    [Fact]
    public void Search_FieldsWildcards_MatchMappedLeavesIncludingMultiFields()
    {
        SearchAssert.Json(
            """{"title": ["apple pie"], "title.keyword": ["apple pie"], "tag": ["food"]}""",
            FirstHit(_books, """{"fields": ["t*"], "_source": false}""")["fields"]);
        Assert.Equal(7, FirstHit(_books, """{"fields": ["*"]}""")["fields"]!.AsObject().Count);
    }

    [Fact]
    public void Search_FieldsWithDateFormat_PrintsWithIt()
    {
        SearchAssert.Json(
            """{"published": ["1577836800000"]}""",
            FirstHit(_books, """{"fields": [{"field": "published", "format": "epoch_millis"}], "_source": false}""")["fields"]);
        SearchAssert.Json(
            """{"published": ["2020/01/01"]}""",
            FirstHit(_books, """{"fields": [{"field": "published", "format": "yyyy/MM/dd"}], "_source": false}""")["fields"]);
    }

    [Fact]
    public void Search_FieldsOnAnUnmappedPath_ReturnsNothingUnlessIncludeUnmapped()
    {
        using var index = new TestIndex("loose", """{"dynamic": false, "properties": {"k": {"type": "keyword"}}}""", [("1", """{"k": "a", "extra": 5, "obj": {"x": "y"}}""")]);

        Assert.False(FirstHit(index, """{"fields": ["extra"]}""").ContainsKey("fields"));
        var fields = FirstHit(index, """{"fields": [{"field": "*", "include_unmapped": true}], "_source": false}""")["fields"]!;
        SearchAssert.Json("""{"k": ["a"], "extra": [5], "obj.x": ["y"]}""", fields);
    }

    [Fact]
    public void Search_FieldsOfEachType_FollowElasticsearchsFetchers()
    {
        using var index = new TestIndex(
            "types",
            """
            {"properties": {"k": {"type": "keyword", "ignore_above": 3}, "i": {"type": "integer"}, "f": {"type": "float"},
             "v": {"type": "dense_vector", "dims": 2, "similarity": "l2_norm"}, "o": {"properties": {"n": {"type": "long"}}}}}
            """,
            [("1", """{"k": ["ab", "abcd"], "i": "5", "f": 1.5, "v": [1, 0.5], "o": {"n": [3, 1]}}""")]);

        SearchAssert.Json(
            """{"k": ["ab"], "i": [5], "f": [1.5], "v": [1.0, 0.5], "o.n": [3, 1]}""",
            FirstHit(index, """{"fields": ["k", "i", "f", "v", "o.n", "o"], "_source": false}""")["fields"]);
    }

    [Fact]
    public void Search_DocValueFields_ReadDocValues()
    {
        SearchAssert.Json(
            """{"tag": ["food"], "year": [2001], "published": ["2020-01-01T00:00:00.000Z"], "active": [true], "price": [2.5]}""",
            FirstHit(_books, """{"docvalue_fields": ["tag", "year", "published", "active", "price"], "_source": false}""")["fields"]);
        SearchAssert.Json(
            """{"published": ["2020-01-01"]}""",
            FirstHit(_books, """{"docvalue_fields": [{"field": "published", "format": "strict_date"}], "_source": false}""")["fields"]);
    }

    [Fact]
    public void Search_DocValueFieldsOnText_FailsWithTheFielddataMessage()
    {
        SearchAssert.PhaseError(
            () => Search(_books, """{"docvalue_fields": ["title"]}"""),
            "illegal_argument_exception",
            "Fielddata is disabled on [title] in [books]. Text fields are not optimised for operations that require per-document field data like "
            + "aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set "
            + "fielddata=true on [title] in order to load field data by uninverting the inverted index. Note that this can use significant memory.");
    }

    [Fact]
    public void Search_FormatOnAKeyword_FailsTheShard()
    {
        SearchAssert.PhaseError(
            () => Search(_books, """{"fields": [{"field": "tag", "format": "x"}]}"""),
            "illegal_argument_exception",
            "Field [tag] of type [keyword] doesn't support formats.");
    }

    [Fact]
    public void Search_FieldsWithoutDocValues_CannotBeSortedOrAggregated()
    {
        using var index = new TestIndex("nodv", """{"properties": {"k": {"type": "keyword", "doc_values": false}}}""", [("1", """{"k": "a"}""")]);
        const string reason = "Can't load fielddata on [k] because fielddata is unsupported on fields of type [keyword]. Use doc values instead.";

        SearchAssert.PhaseError(() => Search(index, """{"sort": "k"}"""), "illegal_argument_exception", reason);
        SearchAssert.PhaseError(() => Search(index, """{"aggs": {"a": {"terms": {"field": "k"}}}}"""), "illegal_argument_exception", reason);
        SearchAssert.Json("""{"k": ["a"]}""", FirstHit(index, """{"fields": ["k"]}""")["fields"]);
    }

    private static JsonObject FirstHit(TestIndex index, string body) => SearchExecutorTests.Hits(Search(index, body))[0]!.AsObject();

    private static JsonObject Search(TestIndex index, string body) =>
        SearchExecutor.Search([index.Target], SearchExecutorTests.Body(body), SearchParameters.None, CancellationToken.None);
}
