using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

public sealed class DocumentConverterTests
{
    private static readonly DocumentVersion Version = new(SeqNo: 7, PrimaryTerm: 1, Version: 2);

    [Fact]
    public void Convert_TextWithKeywordMultiField_IndexesAnalysedTermsAndTheExactValue()
    {
        var mapping = ParseMapping("""{"properties":{"title":{"type":"text","fields":{"raw":{"type":"keyword"}}}}}""");

        var converted = Convert(mapping, """{"title":"The Quick-Brown fox"}""");
        using var probe = new LuceneProbe(mapping, converted.Document);

        // Standard analyzer, no stop words: UAX#29 splits at the hyphen and lower-cases; terms come back sorted.
        Assert.Equal(["brown", "fox", "quick", "the"], probe.Terms("title"));
        Assert.Equal(["The Quick-Brown fox"], probe.Terms("title.raw"));
        Assert.Equal(["The Quick-Brown fox"], probe.SortedSet("title.raw#dv"));
        Assert.Equal(["title", "title.raw"], probe.Terms("_field_names"));
        Assert.False(converted.MappingChanged);
    }

    [Fact]
    public void Convert_EveryDocument_HasIdSourceAndVersionFields()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"long"}}}""");

        var converted = Convert(mapping, """{ "n" : 1, "s": "é\"x" }""", id: "doc-1");
        using var probe = new LuceneProbe(mapping, converted.Document);

        // Compact: whitespace dropped, the quote re-escaped, the é kept as UTF-8.
        const string compact = "{\"n\":1,\"s\":\"é\\\"x\"}";
        Assert.Equal(compact, Encoding.UTF8.GetString(converted.SourceBytes));
        var stored = probe.Stored();
        Assert.Equal("doc-1", stored.Get("_id"));
        Assert.Equal(compact, Encoding.UTF8.GetString(stored.GetBinaryValue("_source").Bytes, 0, stored.GetBinaryValue("_source").Length));
        Assert.Equal(7L, probe.Numeric("_seq_no"));
        Assert.Equal(2L, probe.Numeric("_version"));
        Assert.Equal(1L, probe.Numeric("_primary_term"));
        Assert.Equal(1, probe.Count(new TermQuery(new Term("_id", "doc-1"))));
    }

    [Fact]
    public void Convert_IntegerArrayWithStringAndFraction_CoercesTruncatesAndKeepsTheMinimum()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"integer"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"n":["7",3.9,5]}""").Document);

        Assert.Equal(3L, probe.Numeric("n#dv"));
        Assert.Equal(["3", "5", "7"], probe.SortedSet("n#terms"));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewInt64Range("n", 3, 3, true, true)));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewInt64Range("n", 7, 7, true, true)));
        Assert.Equal(0, probe.Count(NumericRangeQuery.NewInt64Range("n", 4, 4, true, true)));
    }

    [Fact]
    public void Convert_IntegerOutOfRange_IsDocumentParsingExceptionAtTheValue()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"integer"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"n":3000000000}"""));

        // {"n": is five bytes, so the value starts in column 6.
        Assert.Equal(400, error.Status);
        Assert.Equal("document_parsing_exception", error.Type);
        Assert.Equal("[1:6] failed to parse field [n] of type [integer] in document with id '1'. Preview of field's value: '3000000000'", error.Reason);
        // Jackson's getIntValue overflow (Elasticsearch names the Java class), its source-location suffix left out.
        Assert.Equal("input_coercion_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
        Assert.Equal("Numeric value (3000000000) out of range of int (-2147483648 - 2147483647)", error.Extra["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_UnmappedValues_MapsThemAsElasticsearchDynamicMappingDoes()
    {
        var converted = Convert(
            IndexMapping.Empty,
            """{"title":"hello","count":5,"price":1.5,"ok":true,"when":"2015-01-01","slash":"2015/01/01","author":{"name":"x"},"none":null,"empty":[]}""");

        Assert.True(converted.MappingChanged);
        var expected = JsonNode.Parse("""
            {"properties":{
              "author":{"properties":{"name":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}}},
              "count":{"type":"long"},
              "ok":{"type":"boolean"},
              "price":{"type":"float"},
              "slash":{"type":"date","format":"yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis"},
              "title":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
              "when":{"type":"date"}
            }}
            """);
        AssertJson(expected, MappingParser.ToJson(converted.Mapping));
    }

    [Fact]
    public void Convert_DynamicDate_IndexesEpochMilliseconds()
    {
        var converted = Convert(IndexMapping.Empty, """{"when":"2015-01-01T12:10:30Z"}""");
        using var probe = new LuceneProbe(converted.Mapping, converted.Document);

        // 2015-01-01T00:00:00Z is 1420070400 s; plus 12:10:30 = 43830 s.
        const long expected = (1_420_070_400L + 43_830L) * 1000L;
        Assert.Equal(expected, probe.Numeric("when#dv"));
        Assert.Equal([expected.ToString(System.Globalization.CultureInfo.InvariantCulture)], probe.SortedSet("when#terms"));
    }

    [Fact]
    public void Convert_StrictMappingUnknownField_IsStrictDynamicMappingException()
    {
        var mapping = ParseMapping("""{"dynamic":"strict","properties":{"a":{"type":"keyword"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"a":"x","b":1}"""));

        Assert.Equal("strict_dynamic_mapping_exception", error.Type);
        Assert.Equal("[1:14] mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed", error.Reason);
    }

    [Fact]
    public void Convert_DynamicFalse_KeepsUnmappedFieldsInSourceOnly()
    {
        var mapping = ParseMapping("""{"dynamic":false,"properties":{"a":{"type":"keyword"}}}""");

        var converted = Convert(mapping, """{"a":"x","b":"y"}""");
        using var probe = new LuceneProbe(converted.Mapping, converted.Document);

        Assert.False(converted.MappingChanged);
        Assert.Empty(probe.Terms("b"));
        Assert.Equal(["a"], probe.Terms("_field_names"));
        Assert.Equal("""{"a":"x","b":"y"}""", Encoding.UTF8.GetString(converted.SourceBytes));
    }

    [Fact]
    public void Convert_DenseVector_WritesLittleEndianFloats()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":3,"similarity":"l2_norm"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"v":[0.5,1,-2]}""").Document);

        var bytes = probe.Binary("v#dv")!;
        Assert.Equal(12, bytes.Length);
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes));
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4)));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8)));
        Assert.Equal(["v"], probe.Terms("_field_names"));
    }

    [Fact]
    public void Convert_DenseVectorWithFewerDimensions_IsFailedToParseAtTheClosingBracket()
    {
        var mapping = ParseMapping("""{"properties":{"v":{"type":"dense_vector","dims":3}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"v":[1,2]}"""));

        // {"v":[1,2] -- the ] is the tenth byte.
        Assert.Equal("document_parsing_exception", error.Type);
        Assert.Equal(
            "[1:10] failed to parse: The [dense_vector] field [v] in doc [document with id '1'] has a different number of dimensions [2] than defined in the mapping [3]",
            error.Reason);
    }

    [Fact]
    public void Convert_MetadataFieldInSource_IsRejected()
    {
        var error = Assert.Throws<EngineException>(() => Convert(IndexMapping.Empty, """{"_id":"x"}"""));

        // Elasticsearch 8 hands the key to the _id metadata mapper; its refusal is the cause of the field error.
        Assert.Equal("document_parsing_exception", error.Type);
        Assert.Equal("[1:8] failed to parse field [_id] of type [_id] in document with id '1'. Preview of field's value: 'x'", error.Reason);
        Assert.Equal("mapper_parsing_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
        Assert.Equal(
            "Field [_id] is a metadata field and cannot be added inside a document. Use the index API request parameters.",
            error.Extra["caused_by"]!["reason"]!.GetValue<string>());
    }

    internal static IndexMapping ParseMapping(string json) => MappingParser.Parse(JsonNode.Parse(json)!.AsObject(), "test");

    internal static ConvertedDocument Convert(IndexMapping mapping, string source, string id = "1") =>
        DocumentConverter.Convert(mapping, "test", id, JsonNode.Parse(source)!.AsObject(), Version);

    internal static void AssertJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\n  actual {actual?.ToJsonString()}");
}
