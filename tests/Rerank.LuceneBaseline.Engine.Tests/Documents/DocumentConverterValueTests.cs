using Lucene.Net.Search;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Errors;
using static Rerank.LuceneBaseline.Engine.Tests.Documents.DocumentConverterTests;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

/// <summary>Values per type: what reaches Lucene, and Elasticsearch's errors (columns counted by hand in the compact source).</summary>
public sealed class DocumentConverterValueTests
{
    [Fact]
    public void Convert_KeywordOverIgnoreAbove_IsNotIndexedNorRecorded()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword","ignore_above":3}}}""");

        using var both = new LuceneProbe(mapping, Convert(mapping, """{"k":["abcd","ab"]}""").Document);
        using var tooLong = new LuceneProbe(mapping, Convert(mapping, """{"k":"abcd"}""").Document);

        Assert.Equal(["ab"], both.Terms("k"));
        Assert.Equal(["ab"], both.SortedSet("k#dv"));
        Assert.Equal(["k"], both.Terms("_field_names"));
        Assert.Empty(tooLong.Terms("k"));
        Assert.Empty(tooLong.Terms("_field_names"));
    }

    [Fact]
    public void Convert_KeywordScalars_KeepTheirJsonText()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"k":[5,true,1.50,[["nested"]]]}""").Document);

        Assert.Equal(["1.50", "5", "nested", "true"], probe.Terms("k"));
    }

    [Fact]
    public void Convert_NullWithNullValue_IndexesItButNotInMultiFields()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword","null_value":"NULL","fields":{"raw":{"type":"keyword"}}},"n":{"type":"long","null_value":7}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"k":null,"n":null}""").Document);

        Assert.Equal(["NULL"], probe.Terms("k"));
        Assert.Empty(probe.Terms("k.raw"));
        Assert.Equal(7L, probe.Numeric("n#dv"));
    }

    [Fact]
    public void Convert_NullWithoutNullValue_AddsNothing()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"k":null}""").Document);

        Assert.Empty(probe.Terms("k"));
        Assert.Empty(probe.Terms("_field_names"));
    }

    [Fact]
    public void Convert_NumericMultiField_GetsTheSameValue()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"long","fields":{"raw":{"type":"keyword"}}}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"n":"12"}""").Document);

        Assert.Equal(12L, probe.Numeric("n#dv"));
        Assert.Equal(["12"], probe.Terms("n.raw"));
    }

    [Theory]
    [InlineData("long", "\"1.9\"", 1L)]
    [InlineData("long", "-1.9", -1L)]
    [InlineData("integer", "\"  42 \"", 42L)]
    [InlineData("short", "1e3", 1000L)]
    [InlineData("byte", "\"-128\"", -128L)]
    public void Convert_IntegerTypes_CoerceAndTruncateTowardZero(string type, string json, long expected)
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"TYPE"}}}""".Replace("TYPE", type, StringComparison.Ordinal));

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"n":VALUE}""".Replace("VALUE", json, StringComparison.Ordinal)).Document);

        Assert.Equal(expected, probe.Numeric("n#dv"));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewInt64Range("n", expected, expected, true, true)));
    }

    [Theory]
    [InlineData("integer", "\"abc\"", "number_format_exception", "For input string: \"abc\"")]
    [InlineData("long", "\"abc\"", "illegal_argument_exception", "For input string: \"abc\"")]
    [InlineData("long", "\"99999999999999999999\"", "illegal_argument_exception", "Value [99999999999999999999] is out of range for a long")]
    [InlineData("long", "1e20", "input_coercion_exception", "Numeric value (1e20) out of range of long (-9223372036854775808 - 9223372036854775807)")]
    [InlineData("short", "40000", "input_coercion_exception", "Numeric value (40000) out of range of Java short")]
    [InlineData("byte", "200", "illegal_argument_exception", "Value [200] is out of range for a byte")]
    [InlineData("integer", "\"3e9\"", "illegal_argument_exception", "Value [3e9] is out of range for an integer")]
    [InlineData("float", "1e39", "illegal_argument_exception", "[float] supports only finite values, but got [Infinity]")]
    [InlineData("double", "\"1.5x\"", "number_format_exception", "For input string: \"1.5x\"")]
    [InlineData("long", "true", "illegal_argument_exception", "Current token (VALUE_TRUE) not numeric, can not use numeric value accessors")]
    public void Convert_BadNumber_IsFieldParseErrorWithElasticsearchCause(string type, string json, string causeType, string causeReason)
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"TYPE"}}}""".Replace("TYPE", type, StringComparison.Ordinal));

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"n":VALUE}""".Replace("VALUE", json, StringComparison.Ordinal)));

        var preview = json.Trim('"');
        Assert.Equal($"[1:6] failed to parse field [n] of type [{type}] in document with id '1'. Preview of field's value: '{preview}'", error.Reason);
        Assert.Equal(causeType, error.Extra!["caused_by"]!["type"]!.GetValue<string>());
        Assert.Equal(causeReason, error.Extra["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"5\"", "Long value passed as String")]
    [InlineData("1.5", "1.5 cannot be converted to Long without data loss")]
    public void Convert_LongWithoutCoerce_RejectsStringsAndFractions(string json, string causeReason)
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"long","coerce":false}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"n":VALUE}""".Replace("VALUE", json, StringComparison.Ordinal)));

        Assert.Equal(causeReason, error.Extra!["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_EmptyStringForNumber_IsNull()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"integer"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"n":""}""").Document);

        Assert.Null(probe.Numeric("n#dv"));
        Assert.Empty(probe.Terms("_field_names"));
    }

    [Fact]
    public void Convert_IgnoreMalformed_SkipsTheBadValueOnly()
    {
        var mapping = ParseMapping("""{"properties":{"n":{"type":"integer","ignore_malformed":true},"d":{"type":"date","ignore_malformed":true}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"n":["abc",4],"d":"never"}""").Document);

        Assert.Equal(4L, probe.Numeric("n#dv"));
        Assert.Null(probe.Numeric("d#dv"));
        Assert.Equal(["n"], probe.Terms("_field_names"));
    }

    [Fact]
    public void Convert_FloatingTypes_IndexTheValueAtTheirPrecision()
    {
        var mapping = ParseMapping("""{"properties":{"f":{"type":"float"},"h":{"type":"half_float"},"d":{"type":"double"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"f":1.1,"h":0.1,"d":[0.1,2]}""").Document);

        // (double)(float)1.1 and the half-precision 0.1 (1638 / 16384), as Elasticsearch aggregates them.
        Assert.Equal(["1.100000023841858"], probe.SortedSet("f#terms"));
        Assert.Equal(["0.0999755859375"], probe.SortedSet("h#terms"));
        Assert.Equal(["0.1", "2"], probe.SortedSet("d#terms"));
        Assert.Equal(NumericUtils.DoubleToSortableInt64(0.1), probe.Numeric("d#dv"));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewDoubleRange("f", 1.100000023841858, 1.100000023841858, true, true)));
        Assert.Equal(0, probe.Count(NumericRangeQuery.NewDoubleRange("f", 1.1, 1.1, true, true)));
    }

    [Fact]
    public void Convert_Booleans_AcceptJsonAndStringForms()
    {
        var mapping = ParseMapping("""{"properties":{"b":{"type":"boolean"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"b":["true",false,""]}""").Document);

        Assert.Equal(["false", "true"], probe.Terms("b"));
        Assert.Equal(["false", "true"], probe.SortedSet("b#dv"));
    }

    [Fact]
    public void Convert_BooleanOtherString_OnlyTrueOrFalse()
    {
        var mapping = ParseMapping("""{"properties":{"b":{"type":"boolean"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"b":"yes"}"""));

        Assert.Equal("[1:6] failed to parse field [b] of type [boolean] in document with id '1'. Preview of field's value: 'yes'", error.Reason);
        Assert.Equal("Failed to parse value [yes] as only [true] or [false] are allowed.", error.Extra!["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"properties":{"d":{"type":"date"}}}""", "2015", 1_420_070_400_000L)]
    [InlineData("""{"properties":{"d":{"type":"date"}}}""", "\"1420070400001\"", 1_420_070_400_001L)]
    [InlineData("""{"properties":{"d":{"type":"date","format":"yyyy/MM/dd"}}}""", "\"2015/01/01\"", 1_420_070_400_000L)]
    [InlineData("""{"properties":{"d":{"type":"date","format":"epoch_second"}}}""", "1420070400", 1_420_070_400_000L)]
    public void Convert_Dates_ParseWithTheFieldFormat(string mappingJson, string json, long expected)
    {
        var mapping = ParseMapping(mappingJson);

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"d":VALUE}""".Replace("VALUE", json, StringComparison.Ordinal)).Document);

        // A JSON number is parsed as its text: 2015 is the year 2015 under strict_date_optional_time, as in Elasticsearch.
        Assert.Equal(expected, probe.Numeric("d#dv"));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewInt64Range("d", expected, expected, true, true)));
    }

    [Fact]
    public void Convert_BadDate_NamesTheFormat()
    {
        var mapping = ParseMapping("""{"properties":{"d":{"type":"date"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"d":"nope"}"""));

        Assert.Equal("[1:6] failed to parse field [d] of type [date] in document with id '1'. Preview of field's value: 'nope'", error.Reason);
        Assert.Equal("failed to parse date field [nope] with format [strict_date_optional_time||epoch_millis]", error.Extra!["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_ObjectForText_PreviewsTheJavaHashMap()
    {
        var mapping = ParseMapping("""{"properties":{"t":{"type":"text"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"t":{"b":2,"a":1}}"""));

        // HashMap buckets: "a".hashCode() = 97 -> 1, "b" = 98 -> 2, so a prints first whatever the source order.
        Assert.Equal("[1:6] failed to parse field [t] of type [text] in document with id '1'. Preview of field's value: '{a=1, b=2}'", error.Reason);
        Assert.Equal("illegal_state_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
        Assert.Equal("Can't get text on a START_OBJECT at 1:6", error.Extra["caused_by"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void Convert_ConcreteValueForObject_IsRejected()
    {
        var mapping = ParseMapping("""{"properties":{"o":{"properties":{"x":{"type":"long"}}}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"o":5}"""));

        Assert.Equal("document_parsing_exception", error.Type);
        Assert.Equal("[1:6] object mapping for [o] tried to parse field [o] as object, but found a concrete value", error.Reason);
    }

    [Fact]
    public void Convert_DottedKeyIntoConcreteField_CannotAddObject()
    {
        var mapping = ParseMapping("""{"properties":{"a":{"type":"keyword"}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"a.b":1}"""));

        Assert.Equal("[1:8] Could not dynamically add mapping for field [a.b]. Existing mapping for [a] must be of type object but found [keyword].", error.Reason);
    }

    [Fact]
    public void Convert_DeeperDottedKeyIntoConcreteField_NamesTheWholePath()
    {
        var mapping = ParseMapping("""{"properties":{"a":{"properties":{"b":{"type":"keyword"}}}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"a.b.c":1}"""));

        Assert.Equal("[1:10] Could not dynamically add mapping for field [a.b.c]. Existing mapping for [a.b] must be of type object but found [keyword].", error.Reason);
    }

    [Fact]
    public void Convert_EmptyFieldName_FailedToParse()
    {
        var error = Assert.Throws<EngineException>(() => Convert(Rerank.LuceneBaseline.Engine.Mapping.IndexMapping.Empty, """{"":1}"""));

        Assert.Equal("[1:5] failed to parse: field name cannot be an empty string", error.Reason);
    }

    [Fact]
    public void Convert_ObjectsAndDottedKeys_IndexTheSameFieldsAndParentPaths()
    {
        var mapping = ParseMapping("""{"properties":{"a":{"properties":{"b":{"properties":{"c":{"type":"long"}}}}}}}""");

        using var nested = new LuceneProbe(mapping, Convert(mapping, """{"a":{"b":{"c":1}}}""").Document);
        using var dotted = new LuceneProbe(mapping, Convert(mapping, """{"a.b.c":2}""").Document);
        using var mixed = new LuceneProbe(mapping, Convert(mapping, """{"a":[{"b.c":3},{"b":{"c":4}}]}""").Document);

        Assert.Equal(["a", "a.b", "a.b.c"], nested.Terms("_field_names"));
        Assert.Equal(1L, nested.Numeric("a.b.c#dv"));
        Assert.Equal(2L, dotted.Numeric("a.b.c#dv"));
        Assert.Equal(3L, mixed.Numeric("a.b.c#dv"));
        Assert.Equal(["3", "4"], mixed.SortedSet("a.b.c#terms"));
    }

    [Fact]
    public void Convert_DisabledObject_IsKeptInSourceOnly()
    {
        var mapping = ParseMapping("""{"properties":{"o":{"type":"object","enabled":false}}}""");

        var converted = Convert(mapping, """{"o":{"x":{"y":[1,"a",{"z":null}]}}}""");
        using var probe = new LuceneProbe(mapping, converted.Document);

        Assert.False(converted.MappingChanged);
        Assert.Empty(probe.Terms("_field_names"));
        Assert.Empty(probe.Terms("o.x.y"));
    }

    [Fact]
    public void Convert_TextWithoutNorms_WritesNoNorms()
    {
        var mapping = ParseMapping("""{"properties":{"t":{"type":"text","norms":false},"u":{"type":"text"}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"t":"a b","u":"a b"}""").Document);

        Assert.Null(probe.Leaf.GetNormValues("t"));
        Assert.NotNull(probe.Leaf.GetNormValues("u"));
    }

    [Fact]
    public void Convert_IndexFalse_WritesDocValuesButNoTerms()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword","index":false},"n":{"type":"long","index":false},"t":{"type":"text","index":false}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"k":"x","n":3,"t":"words here"}""").Document);

        Assert.Empty(probe.Terms("k"));
        Assert.Equal(["x"], probe.SortedSet("k#dv"));
        Assert.Equal(0, probe.Count(NumericRangeQuery.NewInt64Range("n", 3, 3, true, true)));
        Assert.Equal(3L, probe.Numeric("n#dv"));
        Assert.Empty(probe.Terms("t"));
    }

    [Fact]
    public void Convert_DocValuesFalse_WritesTermsOnly()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword","doc_values":false},"n":{"type":"long","doc_values":false}}}""");

        using var probe = new LuceneProbe(mapping, Convert(mapping, """{"k":"x","n":3}""").Document);

        Assert.Equal(["x"], probe.Terms("k"));
        Assert.Empty(probe.SortedSet("k#dv"));
        Assert.Null(probe.Numeric("n#dv"));
        Assert.Empty(probe.SortedSet("n#terms"));
        Assert.Equal(1, probe.Count(NumericRangeQuery.NewInt64Range("n", 3, 3, true, true)));
    }

    [Fact]
    public void Convert_KeywordOverLuceneTermLimit_IsImmenseTermError()
    {
        var mapping = ParseMapping("""{"properties":{"k":{"type":"keyword"},"t":{"type":"text","analyzer":"keyword"}}}""");
        var huge = new string('é', 16384);

        var keyword = Assert.Throws<EngineException>(() => Convert(mapping, "{\"k\":\"" + huge + "\"}"));
        var text = Assert.Throws<EngineException>(() => Convert(mapping, "{\"t\":\"" + huge + "\"}"));

        // é is the UTF-8 bytes C3 A9, which Java prints as the signed bytes -61, -87; 16384 of them are 32768 bytes.
        var prefix = string.Join(", ", Enumerable.Repeat("-61, -87", 15));
        Assert.Equal(
            "Document contains at least one immense term in field=\"k\" (whose UTF8 encoding is longer than the max length 32766), all of which were skipped. Please correct the analyzer to not produce such terms. The prefix of the first immense term is: '[" + prefix + "]...'",
            keyword.Extra!["caused_by"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("[1:6] failed to parse field [k] of type [keyword]", keyword.Reason, StringComparison.Ordinal);
        Assert.StartsWith("[1:6] failed to parse field [t] of type [text]", text.Reason, StringComparison.Ordinal);
    }
}
