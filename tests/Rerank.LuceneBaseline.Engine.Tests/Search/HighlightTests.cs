using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>
/// <c>highlight</c> in <c>_search</c>. Expected fragments are worked by hand from Lucene's highlighter rules (a new
/// fragment starts before the first token ending at or past <c>fragment_size × n</c>; the text between tokens belongs to
/// the fragment of the token after it; a fragment's score is the number of distinct query terms in it) or taken from
/// Elasticsearch's documentation.
/// </summary>
public sealed class HighlightTests : IDisposable
{
    private const string Mapping = """
        {"properties": {"title": {"type": "text", "fields": {"raw": {"type": "keyword"}}}, "body": {"type": "text"},
         "tags": {"type": "text"}, "code": {"type": "keyword"}, "year": {"type": "integer"}}}
        """;

    private readonly TestIndex _index = new("docs", Mapping, [
        ("1", """{"title": "my life, except my life.", "body": "one two three four five six", "year": 2001}"""),
        ("2", """{"title": "The quick brown fox", "body": "the lazy dog sleeps", "tags": ["red fox", "blue dog", "grey fox"], "code": "fox"}"""),
        ("3", """{"title": "fox one two cat fox dog", "body": "a <b> & fox"}"""),
        ("4", """{"title": "nothing here", "body": "The quick brown fox jumps"}"""),
    ]);

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Search_DocumentationExample_WrapsEachMatchInEm()
    {
        // Elasticsearch's highlighting documentation: "my life, except my life." for a match on "life".
        var hit = Hit("""{"query": {"match": {"title": "life"}}, "highlight": {"fields": {"title": {}}}}""", "1");

        SearchAssert.Json("""{"title": ["my <em>life</em>, except my <em>life</em>."]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_CustomTags_UseTheFirstPreAndPostTag()
    {
        var hit = Hit("""{"query": {"match": {"title": "fox"}}, "highlight": {"pre_tags": ["<b>"], "post_tags": ["</b>"], "fields": {"title": {}}}}""", "2");

        SearchAssert.Json("""{"title": ["The quick brown <b>fox</b>"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_FragmentSize_CutsAtTokenBoundaries()
    {
        // Tokens one[0,3] two[4,7] three[8,13] four[14,18] five[19,23] six[24,27], size 10: fragments start before
        // "three" (ends 13 >= 10) and before "five" (ends 23 >= 20), so "four" is in " three four".
        var hit = Hit("""{"query": {"match": {"body": "four"}}, "highlight": {"fields": {"body": {"fragment_size": 10, "fragmenter": "simple"}}}}""", "1");

        SearchAssert.Json("""{"body": [" three <em>four</em>"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_NumberOfFragmentsZero_HighlightsTheWholeField()
    {
        var hit = Hit("""{"query": {"match": {"body": "four"}}, "highlight": {"fields": {"body": {"fragment_size": 10, "number_of_fragments": 0}}}}""", "1");

        SearchAssert.Json("""{"body": ["one two three <em>four</em> five six"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_OrderScore_PutsTheFragmentWithMoreDistinctTermsFirst()
    {
        // fox[0,3] one[4,7] two[8,11] cat[12,15] fox[16,19] dog[20,23], size 10: "fox one" (1 term), " two cat fox"
        // (2 terms), " dog" (none).
        const string Query = """{"query": {"match": {"title": "fox cat"}}, "highlight": {"fragmenter": "simple", "fragment_size": 10, "fields": {"title": {%ORDER%}}}}""";

        SearchAssert.Json(
            """{"title": ["<em>fox</em> one", " two <em>cat</em> <em>fox</em>"]}""",
            Hit(Query.Replace("%ORDER%", "", StringComparison.Ordinal), "3")["highlight"]);
        SearchAssert.Json(
            """{"title": [" two <em>cat</em> <em>fox</em>", "<em>fox</em> one"]}""",
            Hit(Query.Replace("%ORDER%", "\"order\": \"score\"", StringComparison.Ordinal), "3")["highlight"]);
        SearchAssert.Json(
            """{"title": [" two <em>cat</em> <em>fox</em>"]}""",
            Hit(Query.Replace("%ORDER%", "\"number_of_fragments\": 1", StringComparison.Ordinal), "3")["highlight"]);
    }

    [Fact]
    public void Search_RequireFieldMatch_HighlightsOnlyTheQueriedFieldUnlessFalse()
    {
        const string Query = """{"query": {"match": {"title": "fox"}}, "highlight": {%RFM%"fields": {"title": {}, "body": {}}}}""";

        SearchAssert.Json(
            """{"title": ["The quick brown <em>fox</em>"]}""",
            Hit(Query.Replace("%RFM%", "", StringComparison.Ordinal), "2")["highlight"]);
        SearchAssert.Json(
            """{"title": ["<em>fox</em> one two cat <em>fox</em> dog"], "body": ["a <b> & <em>fox</em>"]}""",
            Hit(Query.Replace("%RFM%", "\"require_field_match\": false, ", StringComparison.Ordinal), "3")["highlight"]);
    }

    [Fact]
    public void Search_HighlightQuery_HighlightsItsTermsInsteadOfTheSearchQuerys()
    {
        var hit = Hit("""{"query": {"match": {"title": "fox"}}, "highlight": {"fields": {"body": {"highlight_query": {"match": {"body": "dog"}}}}}}""", "2");

        SearchAssert.Json("""{"body": ["the lazy <em>dog</em> sleeps"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_FieldWildcard_ExpandsOverTextAndKeywordFields()
    {
        // "*" matches title, title.raw, body, tags, code and year; year (integer) never highlights; title.raw and code
        // are keywords whose whole value is the one token, and only "code" equals the term "fox".
        var hit = Hit("""{"query": {"multi_match": {"query": "fox", "fields": ["title", "tags", "code"]}}, "highlight": {"fields": {"*": {}}}}""", "2");

        SearchAssert.Json(
            """{"code": ["<em>fox</em>"], "tags": ["red <em>fox</em>", "grey <em>fox</em>"], "title": ["The quick brown <em>fox</em>"]}""",
            hit["highlight"]);
    }

    [Fact]
    public void Search_FieldsArrayForm_KeepsRequestOrderAndPerFieldTags()
    {
        var hit = Hit(
            """{"query": {"multi_match": {"query": "fox", "fields": ["title", "body"]}}, "highlight": {"pre_tags": "[", "post_tags": "]", "require_field_match": false, "fields": [{"body": {"pre_tags": ["<i>"], "post_tags": ["</i>"]}}, {"title": {}}]}}""",
            "3");

        var highlight = hit["highlight"]!.AsObject();
        Assert.Equal(["body", "title"], highlight.Select(p => p.Key));
        SearchAssert.Json("""{"body": ["a <b> & <i>fox</i>"], "title": ["[fox] one two cat [fox] dog"]}""", highlight);
    }

    [Fact]
    public void Search_HtmlEncoder_EscapesTheTextButNotTheTags()
    {
        var hit = Hit("""{"query": {"match": {"body": "fox"}}, "highlight": {"encoder": "html", "fields": {"body": {}}}}""", "3");

        SearchAssert.Json("""{"body": ["a &lt;b&gt; &amp; <em>fox</em>"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_TagsSchemaStyled_UsesTheHltClass()
    {
        var hit = Hit("""{"query": {"match": {"body": "fox"}}, "highlight": {"tags_schema": "styled", "fields": {"body": {}}}}""", "3");

        SearchAssert.Json("""{"body": ["a <b> & <em class=\"hlt\">fox</em>"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_NoMatchSize_ReturnsTheStartUpToTheLastWholeToken()
    {
        // The match is on title; body "The quick brown fox jumps": "brown" ends at 15 > 12, so the excerpt ends after "quick".
        var hit = Hit("""{"query": {"match": {"title": "nothing"}}, "highlight": {"fields": {"body": {"no_match_size": 12}, "title": {}}}}""", "4");

        SearchAssert.Json("""{"body": ["The quick"], "title": ["<em>nothing</em> here"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_MultiValuedField_HighlightsEachMatchingValue()
    {
        var hit = Hit("""{"query": {"match": {"tags": "fox"}}, "highlight": {"fields": {"tags": {}}}}""", "2");

        SearchAssert.Json("""{"tags": ["red <em>fox</em>", "grey <em>fox</em>"]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_PhraseAndWildcardQueries_HighlightOnlyWhatMatches()
    {
        var phrase = Hit("""{"query": {"match_phrase": {"body": "quick brown"}}, "highlight": {"fields": {"body": {}}}}""", "4");
        var wildcard = Hit("""{"query": {"wildcard": {"title": "fo*"}}, "highlight": {"fields": {"title": {}}}}""", "2");

        SearchAssert.Json("""{"body": ["The <em>quick</em> <em>brown</em> fox jumps"]}""", phrase["highlight"]);
        SearchAssert.Json("""{"title": ["The quick brown <em>fox</em>"]}""", wildcard["highlight"]);
    }

    [Fact]
    public void Search_HitWithoutFragments_HasNoHighlightKey()
    {
        var hits = Hits("""{"query": {"multi_match": {"query": "fox", "fields": ["title", "code"]}}, "highlight": {"fields": {"body": {}}}}""");

        Assert.All(hits, hit => Assert.False(hit!.AsObject().ContainsKey("highlight")));
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public void Search_MaxAnalyzedOffsetInRequest_TruncatesTheAnalysedText()
    {
        // Elasticsearch's REST test text: only the first "fox" starts within 20 characters.
        using var index = new TestIndex("long", """{"properties": {"field1": {"type": "text"}}}""", [
            ("1", """{"field1": "The quick brown fox went to the forest and saw another fox."}"""),
        ]);

        var hit = SearchExecutorTests.Hits(index.Search(
            """{"query": {"match": {"field1": "fox"}}, "highlight": {"fields": {"field1": {"type": "plain", "max_analyzed_offset": 20}}}}"""))[0]!;

        SearchAssert.Json("""{"field1": ["The quick brown <em>fox</em> went to the forest and saw another fox."]}""", hit["highlight"]);
    }

    [Fact]
    public void Search_TextOverTheAnalysedOffsetLimit_FailsWithElasticsearchsMessage()
    {
        var text = string.Concat(Enumerable.Repeat("fox ", 250_001));
        using var index = new TestIndex("huge", """{"properties": {"content": {"type": "text"}}}""", [
            ("1", new JsonObject { ["content"] = text }.ToJsonString()),
        ]);

        SearchAssert.PhaseError(
            () => index.Search("""{"query": {"match": {"content": "fox"}}, "highlight": {"fields": {"content": {}}}}"""),
            "illegal_argument_exception",
            "The length [1000004] of field [content] in doc[0]/index[huge] exceeds the [index.highlight.max_analyzed_offset] limit [1000000]. "
            + "To avoid this error, set the query parameter [max_analyzed_offset] to a value less than index setting [1000000] and this will "
            + "tolerate long field values by truncating them.");
        // With max_analyzed_offset 10 the tokens starting at 0, 4 and 8 are analysed; the rest is returned as it is.
        var truncated = SearchExecutorTests.Hits(index.Search(
            """{"query": {"match": {"content": "fox"}}, "highlight": {"fields": {"content": {"max_analyzed_offset": 10, "number_of_fragments": 0}}}}"""))[0]!;
        var whole = truncated["highlight"]!["content"]![0]!.GetValue<string>();
        Assert.StartsWith("<em>fox</em> <em>fox</em> <em>fox</em> fox fox ", whole, StringComparison.Ordinal);
        Assert.Equal(text.Length + (3 * "<em></em>".Length), whole.Length);
    }

    [Theory]
    [InlineData("""{"type": "fvh"}""", "highlight [type] [fvh] (the fast vector highlighter) is not supported by the embedded engine")]
    [InlineData("""{"boundary_scanner": "sentence"}""", "highlight [boundary_scanner] is not supported by the embedded engine")]
    [InlineData("""{"matched_fields": ["title"]}""", "highlight [matched_fields] is not supported by the embedded engine")]
    [InlineData("""{"phrase_limit": 10}""", "highlight [phrase_limit] is not supported by the embedded engine")]
    [InlineData("""{"type": "fancy"}""", "unknown highlighter type [fancy]")]
    [InlineData("""{"max_analyzed_offset": 0}""", "[max_analyzed_offset] must be a positive integer, or -1")]
    public void Search_UnsupportedOrInvalidFieldOption_IsRefusedByName(string options, string reason)
    {
        SearchAssert.Error(
            () => _index.Search("""{"query": {"match": {"title": "fox"}}, "highlight": {"fields": {"title": """ + options + "}}}"),
            400, "illegal_argument_exception", reason);
    }

    [Fact]
    public void Search_PreTagsWithoutPostTags_IsRefused()
    {
        SearchAssert.Error(
            () => _index.Search("""{"highlight": {"pre_tags": ["<b>"], "fields": {"title": {}}}}"""),
            400, "illegal_argument_exception", "Highlighter global preTags are set, but global postTags are not set");
    }

    private JsonObject Hit(string body, string id) =>
        Hits(body).Single(hit => hit!["_id"]!.GetValue<string>() == id)!.AsObject();

    private JsonArray Hits(string body) => SearchExecutorTests.Hits(_index.Search(body));
}
