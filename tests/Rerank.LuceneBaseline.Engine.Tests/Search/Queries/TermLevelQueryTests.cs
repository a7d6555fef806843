using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Tests.Search.Queries;

/// <summary>term, terms, range, exists, ids, prefix and wildcard on every field type, hit sets worked out by hand.</summary>
public sealed class TermLevelQueryTests : IDisposable
{
    // "Now" for date math is 2024-05-15T13:45:30Z (QueryTestIndex.Now).
    private readonly QueryTestIndex _index = QueryTestIndex.Create(
        """
        {"properties": {
          "tag": {"type": "keyword", "ignore_above": 10},
          "count": {"type": "long"},
          "small": {"type": "integer"},
          "price": {"type": "double"},
          "ratio": {"type": "float"},
          "flag": {"type": "boolean"},
          "date": {"type": "date"},
          "title": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
          "author": {"properties": {"name": {"type": "text", "fields": {"raw": {"type": "keyword"}}}}}
        }}
        """,
        ("e1", """{"tag": "red", "count": 1, "small": 1, "price": 1.5, "ratio": 0.1, "flag": true, "date": "2020-01-01T10:00:00Z", "title": "Quick Fox", "author": {"name": "Ann Lee"}}"""),
        ("e2", """{"tag": "blue", "count": 5, "price": 2.25, "ratio": 0.2, "flag": false, "date": "2020-01-31T23:59:59.999Z", "author": {"name": "Bob"}}"""),
        ("e3", """{"tag": ["red", "green"], "count": 10, "price": -3, "flag": true, "date": "2020-02-01T00:00:00Z"}"""),
        ("e4", """{"tag": "averyveryverylongtag", "count": -2, "date": 1577836800000}"""),
        ("e5", """{"date": "2024-05-14T08:00:00Z", "title": "slow dog"}"""),
        ("e6", """{"date": "2024-05-15T00:00:00Z"}"""));

    public void Dispose() => _index.Dispose();

    [Theory]
    // Numbers: JSON numbers, numeric strings, decimals.
    [InlineData("""{"term": {"count": 5}}""", "e2")]
    [InlineData("""{"term": {"count": "5"}}""", "e2")]
    [InlineData("""{"term": {"count": 5.0}}""", "e2")]
    [InlineData("""{"term": {"count": 5.5}}""", "")]
    [InlineData("""{"term": {"count": "1e1"}}""", "e3")]
    [InlineData("""{"term": {"count": -2}}""", "e4")]
    [InlineData("""{"term": {"price": 2.25}}""", "e2")]
    [InlineData("""{"term": {"price": "-3"}}""", "e3")]
    [InlineData("""{"term": {"ratio": 0.1}}""", "e1")]
    // Booleans.
    [InlineData("""{"term": {"flag": true}}""", "e1 e3")]
    [InlineData("""{"term": {"flag": "false"}}""", "e2")]
    // Keyword: exact, case-sensitive unless asked; values over ignore_above are not indexed.
    [InlineData("""{"term": {"tag": "red"}}""", "e1 e3")]
    [InlineData("""{"term": {"tag": "Red"}}""", "")]
    [InlineData("""{"term": {"tag": {"value": "RED", "case_insensitive": true}}}""", "e1 e3")]
    [InlineData("""{"term": {"tag": "averyveryverylongtag"}}""", "")]
    [InlineData("""{"term": {"title.raw": "Quick Fox"}}""", "e1")]
    // Dates: a day matches the whole day; full timestamps the exact millisecond (or the second when no millis given).
    [InlineData("""{"term": {"date": "2020-01-01"}}""", "e1 e4")]
    [InlineData("""{"term": {"date": "2020-01-31T23:59:59"}}""", "e2")]
    [InlineData("""{"term": {"date": 1577836800000}}""", "e4")]
    [InlineData("""{"term": {"date": "now-1d/d"}}""", "e5")]
    // Metadata and unmapped fields, objects.
    [InlineData("""{"term": {"_id": "e2"}}""", "e2")]
    [InlineData("""{"term": {"_index": "test"}}""", "e1 e2 e3 e4 e5 e6")]
    [InlineData("""{"term": {"_index": "other"}}""", "")]
    [InlineData("""{"term": {"missing": "x"}}""", "")]
    [InlineData("""{"term": {"author": "Bob"}}""", "")]
    public void Term_ByFieldType_MatchesParsedValue(string query, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids(query));
    }

    [Theory]
    [InlineData("""{"terms": {"count": [1, 10, 2.5]}}""", "e1 e3")]
    [InlineData("""{"terms": {"count": [2.5]}}""", "")]
    [InlineData("""{"terms": {"tag": ["blue", "green", "nope"]}}""", "e2 e3")]
    [InlineData("""{"terms": {"price": [1.5, "-3"]}}""", "e1 e3")]
    [InlineData("""{"terms": {"flag": [false]}}""", "e2")]
    [InlineData("""{"terms": {"date": ["2020-01-01", "2020-02-01T00:00:00Z"]}}""", "e1 e3 e4")]
    [InlineData("""{"terms": {"_id": ["e1", "e6", "zz"]}}""", "e1 e6")]
    [InlineData("""{"terms": {"tag": []}}""", "")]
    [InlineData("""{"terms": {"missing": ["a"]}}""", "")]
    public void Terms_ByFieldType_MatchesAnyValue(string query, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids(query));
    }

    [Theory]
    // Integers: decimal bounds round inwards.
    [InlineData("""{"range": {"count": {"gte": 1, "lt": 10}}}""", "e1 e2")]
    [InlineData("""{"range": {"count": {"gt": 1.5}}}""", "e2 e3")]
    [InlineData("""{"range": {"count": {"gte": -1.5}}}""", "e1 e2 e3")]
    [InlineData("""{"range": {"count": {"lte": 1.5}}}""", "e1 e4")]
    [InlineData("""{"range": {"count": {"lt": -1.5}}}""", "e4")]
    [InlineData("""{"range": {"count": {"gt": 5}}}""", "e3")]
    [InlineData("""{"range": {"count": {"from": 1, "to": 5, "include_upper": false}}}""", "e1")]
    [InlineData("""{"range": {"count": {"gte": "5"}}}""", "e2 e3")]
    // Doubles and floats: exclusive bounds step to the next representable value.
    [InlineData("""{"range": {"price": {"gt": 1.5}}}""", "e2")]
    [InlineData("""{"range": {"price": {"gte": 1.5}}}""", "e1 e2")]
    [InlineData("""{"range": {"price": {"lt": 0}}}""", "e3")]
    [InlineData("""{"range": {"ratio": {"gt": 0.1, "lte": 0.2}}}""", "e2")]
    // Keywords compare terms; booleans false < true.
    [InlineData("""{"range": {"tag": {"gte": "b", "lt": "r"}}}""", "e2 e3")]
    [InlineData("""{"range": {"flag": {"gt": false}}}""", "e1 e3")]
    // Dates: lte/gt round a date up to its last millisecond, gte/lt down.
    [InlineData("""{"range": {"date": {"gte": "2020-01-01", "lte": "2020-01-31"}}}""", "e1 e2 e4")]
    [InlineData("""{"range": {"date": {"gte": "2020-01-01", "lt": "2020-01-31"}}}""", "e1 e4")]
    [InlineData("""{"range": {"date": {"gt": "2020-01-31"}}}""", "e3 e5 e6")]
    [InlineData("""{"range": {"date": {"gte": "2020-01-01||+1M/d", "lt": "2020-03"}}}""", "e3")]
    [InlineData("""{"range": {"date": {"lt": "2020-01-01||+1M"}}}""", "e1 e2 e4")]
    [InlineData("""{"range": {"date": {"gte": "now-1d/d", "lt": "now/d"}}}""", "e5")]
    [InlineData("""{"range": {"date": {"gte": "now-1d/d", "lte": "now/d"}}}""", "e5 e6")]
    [InlineData("""{"range": {"date": {"gt": "now-2d/d"}}}""", "e5 e6")] // rounds up to 2024-05-13T23:59:59.999
    [InlineData("""{"range": {"date": {"gte": "now-2d/d", "lt": "now-1d"}}}""", "e5")]
    [InlineData("""{"range": {"date": {"gte": 1577836800000, "lte": 1577836800000}}}""", "e4")]
    [InlineData("""{"range": {"date": {"gte": "01/02/2020", "format": "dd/MM/yyyy"}}}""", "e3 e5 e6")]
    [InlineData("""{"range": {"date": {"gte": "2020", "lt": "2021", "format": "yyyy"}}}""", "e1 e2 e3 e4")]
    [InlineData("""{"range": {"date": {"gte": "2020-01-01", "lt": "2020-01-02", "time_zone": "-10:00"}}}""", "e1")]
    [InlineData("""{"range": {"date": {"gte": "2020-01-01", "lt": "2020-01-02", "time_zone": "+10:00"}}}""", "e1 e4")]
    [InlineData("""{"range": {"date": {"gte": "2020-01-01T00:00:00Z", "lt": "2020-01-01T10:00:00+01:00"}}}""", "e4")]
    // No bounds: the field exists. Unmapped: nothing.
    [InlineData("""{"range": {"price": {}}}""", "e1 e2 e3")]
    [InlineData("""{"range": {"price": {"gte": null}}}""", "e1 e2 e3")]
    [InlineData("""{"range": {"missing": {"gte": 1}}}""", "")]
    public void Range_ByFieldType_MatchesWithinBounds(string query, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids(query));
    }

    [Theory]
    [InlineData("tag", "e1 e2 e3")] // the long tag is beyond ignore_above: no value indexed
    [InlineData("count", "e1 e2 e3 e4")]
    [InlineData("flag", "e1 e2 e3")]
    [InlineData("date", "e1 e2 e3 e4 e5 e6")]
    [InlineData("title", "e1 e5")]
    [InlineData("title.raw", "e1 e5")]
    [InlineData("author", "e1 e2")]
    [InlineData("author.name.raw", "e1 e2")]
    [InlineData("fla*", "e1 e2 e3")]
    [InlineData("missing", "")]
    [InlineData("_id", "e1 e2 e3 e4 e5 e6")]
    public void Exists_ByFieldType_MatchesDocumentsWithAValue(string field, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids($$$"""{"exists": {"field": "{{{field}}}"}}"""));
    }

    [Theory]
    [InlineData("""{"prefix": {"tag": "re"}}""", "e1 e3")]
    [InlineData("""{"prefix": {"tag": {"value": "RE", "case_insensitive": true}}}""", "e1 e3")]
    [InlineData("""{"prefix": {"title": "qui"}}""", "e1")]
    [InlineData("""{"prefix": {"_id": "e"}}""", "e1 e2 e3 e4 e5 e6")]
    [InlineData("""{"wildcard": {"tag": "*e*"}}""", "e1 e2 e3")]
    [InlineData("""{"wildcard": {"tag": {"value": "gr??n"}}}""", "e3")]
    [InlineData("""{"wildcard": {"tag": {"value": "B*", "case_insensitive": true}}}""", "e2")]
    [InlineData("""{"wildcard": {"title": "QU*"}}""", "e1")]
    [InlineData("""{"prefix": {"missing": "a"}}""", "")]
    public void PrefixAndWildcard_MatchTerms(string query, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids(query));
    }

    [Fact]
    public void Ids_MatchTheIdsWithConstantScore()
    {
        var hits = _index.Search("""{"ids": {"values": ["e3", "e1", "nope"], "boost": 2}}""");

        Assert.Equal(["e1", "e3"], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal(2f, h.Score));
        Assert.Empty(_index.Search("""{"ids": {"values": []}}"""));
    }

    [Theory]
    [InlineData("""{"terms": {"tag": ["red", "blue"], "boost": 2}}""", 2f)]
    [InlineData("""{"range": {"count": {"gte": 0, "boost": 1.5}}}""", 1.5f)]
    [InlineData("""{"exists": {"field": "tag", "boost": 3}}""", 3f)]
    [InlineData("""{"term": {"count": {"value": 5, "boost": 4}}}""", 4f)]
    [InlineData("""{"term": {"date": "2020-01-01"}}""", 1f)]
    [InlineData("""{"prefix": {"tag": {"value": "re", "boost": 2}}}""", 2f)]
    [InlineData("""{"wildcard": {"tag": "r*"}}""", 1f)]
    public void NonTextQueries_ScoreAConstantBoost(string query, float score)
    {
        var hits = _index.Search(query);

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(score, h.Score));
    }

    [Theory]
    [InlineData("""{"match": {"tag": "red"}}""", "e1 e3")]
    [InlineData("""{"match": {"tag": "red green"}}""", "")]
    [InlineData("""{"match": {"count": "5"}}""", "e2")]
    [InlineData("""{"match": {"count": {"query": "five", "lenient": true}}}""", "")]
    [InlineData("""{"match": {"flag": true}}""", "e1 e3")]
    [InlineData("""{"match": {"date": "2020-01-01"}}""", "e1 e4")]
    [InlineData("""{"match": {"author.name": "lee"}}""", "e1")]
    [InlineData("""{"match": {"author": "lee"}}""", "")]
    [InlineData("""{"match": {"_id": "e4"}}""", "e4")]
    [InlineData("""{"match": {"tag": {"query": "RED", "analyzer": "standard"}}}""", "e1 e3")]
    public void Match_OnNonTextFields_IsATermOnTheParsedValue(string query, string ids)
    {
        Assert.Equal(Split(ids), _index.Ids(query));
    }

    [Theory]
    [InlineData("""{"term": {"count": "abc"}}""", "failed to create query: For input string: \"abc\"", "number_format_exception")]
    [InlineData("""{"term": {"count": "99999999999999999999"}}""", "failed to create query: Value [99999999999999999999] is out of range for a long", "illegal_argument_exception")]
    [InlineData("""{"term": {"small": 3000000000}}""", "failed to create query: Value [3000000000] is out of range for an integer", "illegal_argument_exception")]
    [InlineData("""{"term": {"flag": "yes"}}""", "failed to create query: Can't parse boolean value [yes], expected [true] or [false]", "illegal_argument_exception")]
    [InlineData("""{"match": {"count": "five"}}""", "failed to create query: For input string: \"five\"", "number_format_exception")]
    [InlineData("""{"range": {"price": {"gte": "cheap"}}}""", "failed to create query: For input string: \"cheap\"", "number_format_exception")]
    [InlineData("""{"term": {"tag": {"value": "x", "case_insensitive": true}}}""", null, null)]
    [InlineData("""{"term": {"count": {"value": 1, "case_insensitive": true}}}""", "failed to create query: [count] field which is of type [long], does not support case insensitive term queries", "illegal_argument_exception")]
    [InlineData("""{"match_phrase": {"tag": {"query": "red green", "analyzer": "standard"}}}""", "failed to create query: Can only use phrase queries on text fields - not on [tag] which is of type [keyword]", "illegal_argument_exception")]
    public void InvalidValues_AreShardFailures(string query, string? reason, string? causeType)
    {
        if (reason is null)
        {
            Assert.Empty(_index.Search(query));
            return;
        }

        var error = _index.Error(query);

        Assert.Equal(("query_shard_exception", reason, "test"), (error.Type, error.Reason, error.Index));
        Assert.Equal(causeType, (string?)error.Extra!["caused_by"]!["type"]);
        Assert.True(QueryErrors.IsShardFailure(error));
    }

    [Theory]
    [InlineData("""{"prefix": {"count": "1"}}""", "Can only use prefix queries on keyword, text and wildcard fields - not on [count] which is of type [long]")]
    [InlineData("""{"wildcard": {"date": "2*"}}""", "Can only use wildcard queries on keyword, text and wildcard fields - not on [date] which is of type [date]")]
    [InlineData("""{"match": {"title": {"query": "x", "analyzer": "nope"}}}""", "[match] analyzer [nope] not found")]
    [InlineData("""{"multi_match": {"query": "x", "analyzer": "nope"}}""", "[multi_match] analyzer [nope] not found")]
    public void UnsupportedOnField_IsAShardFailureWithoutWrapper(string query, string reason)
    {
        var error = _index.Error(query);

        Assert.Equal(("query_shard_exception", reason, "test"), (error.Type, error.Reason, error.Index));
        Assert.Null(error.Extra);
    }

    [Fact]
    public void Range_BadDate_RootCauseIsTheParseException()
    {
        var error = _index.Error("""{"range": {"date": {"gte": "yesterday"}}}""");

        const string Parse = "failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]: "
            + "[failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]]";
        Assert.Equal(("query_shard_exception", "failed to create query: " + Parse), (error.Type, error.Reason));
        Assert.Equal(("parse_exception", Parse), (error.RootCause!.Type, error.RootCause.Reason));
    }

    [Fact]
    public void Range_BadDateMath_IsAParseException()
    {
        var error = _index.Error("""{"range": {"date": {"gte": "now+1x"}}}""");

        Assert.Equal("failed to create query: unit [x] not supported for date math [+1x]", error.Reason);
        Assert.Equal("parse_exception", error.RootCause!.Type);
    }

    [Fact]
    public void Match_UnsupportedBuiltInAnalyzer_IsRefusedByName()
    {
        var error = _index.Error("""{"match": {"title": {"query": "x", "analyzer": "french"}}}""");

        Assert.Equal(("illegal_argument_exception", "analyzer [french] is not supported by the embedded engine"), (error.Type, error.Reason));
    }

    [Fact]
    public void Match_EnglishAnalyzer_StemsTheQueryText()
    {
        // The title is indexed with standard ("quick", "fox"); english stems "foxes" to "fox".
        Assert.Equal(["e1"], _index.Ids("""{"match": {"title": {"query": "foxes", "analyzer": "english"}}}"""));
        Assert.Empty(_index.Search("""{"match": {"title": "foxes"}}"""));
    }

    [Fact]
    public void Terms_TooMany_IsAShardFailure()
    {
        var values = string.Join(",", Enumerable.Range(0, TermsQueryBuilder.MaxTermsCount + 1));
        var error = _index.Error($$$"""{"terms": {"count": [{{{values}}}]}}""");

        Assert.Equal(
            "failed to create query: The number of terms [65537] used in the Terms Query request has exceeded the allowed maximum of [65536]. "
            + "This maximum can be set by changing the [index.max_terms_count] index level setting.",
            error.Reason);
    }

    private static string[] Split(string ids) => ids.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
