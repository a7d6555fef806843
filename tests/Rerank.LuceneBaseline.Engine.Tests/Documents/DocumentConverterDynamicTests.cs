using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using static Rerank.LuceneBaseline.Engine.Tests.Documents.DocumentConverterTests;

namespace Rerank.LuceneBaseline.Engine.Tests.Documents;

/// <summary>Dynamic mapping as Elasticsearch's "Dynamic field mapping" page describes it.</summary>
public sealed class DocumentConverterDynamicTests
{
    [Fact]
    public void Convert_NumericDetection_MapsNumericStrings()
    {
        var converted = Convert(ParseMapping("""{"numeric_detection":true}"""), """{"a":"5","b":"5.5","c":"x"}""");

        Assert.Equal(FieldType.Long, converted.Mapping.Find("a")!.Type);
        Assert.Equal(FieldType.Float, converted.Mapping.Find("b")!.Type);
        Assert.Equal(FieldType.Text, converted.Mapping.Find("c")!.Type);
    }

    [Fact]
    public void Convert_NumericStringWithDateDetection_IsNotADate()
    {
        // Elasticsearch refuses to date-detect pure numbers (they would match epoch_millis).
        var converted = Convert(IndexMapping.Empty, """{"a":"12345","b":"2015"}""");

        Assert.Equal(FieldType.Text, converted.Mapping.Find("a")!.Type);
        Assert.Equal(FieldType.Text, converted.Mapping.Find("b")!.Type);
    }

    [Fact]
    public void Convert_DateDetectionOff_MapsDatesAsText()
    {
        var converted = Convert(ParseMapping("""{"date_detection":false}"""), """{"when":"2015-01-01"}""");

        Assert.Equal(FieldType.Text, converted.Mapping.Find("when")!.Type);
    }

    [Fact]
    public void Convert_CustomDynamicDateFormats_MapWithThatFormat()
    {
        var converted = Convert(ParseMapping("""{"dynamic_date_formats":["MM/dd/yyyy"]}"""), """{"a":"12/31/2020","b":"2020-12-31"}""");

        var a = converted.Mapping.Find("a")!;
        Assert.Equal(FieldType.Date, a.Type);
        Assert.Equal("MM/dd/yyyy", a.Format);
        Assert.Equal(FieldType.Text, converted.Mapping.Find("b")!.Type);
    }

    [Fact]
    public void Convert_DottedKeys_MapObjectsAsNestedKeysWould()
    {
        var dotted = Convert(IndexMapping.Empty, """{"a.b":"x"}""");
        var nested = Convert(IndexMapping.Empty, """{"a":{"b":"x"}}""");

        AssertJson(MappingParser.ToJson(nested.Mapping), MappingParser.ToJson(dotted.Mapping));
        Assert.Equal(FieldType.Object, dotted.Mapping.Find("a")!.Type);
        Assert.Equal(FieldType.Text, dotted.Mapping.Find("a.b")!.Type);
    }

    [Fact]
    public void Convert_MixedArray_TakesTheFirstValuesType()
    {
        var converted = Convert(IndexMapping.Empty, """{"a":[null,"x",5]}""");
        using var probe = new LuceneProbe(converted.Mapping, converted.Document);

        Assert.Equal(FieldType.Text, converted.Mapping.Find("a")!.Type);
        Assert.Equal(["5", "x"], probe.Terms("a"));
        Assert.Equal(["5", "x"], probe.Terms("a.keyword"));
    }

    [Fact]
    public void Convert_EmptyObject_IsMappedAsObject()
    {
        var converted = Convert(IndexMapping.Empty, """{"o":{}}""");

        AssertJson(JsonNode.Parse("""{"properties":{"o":{"type":"object"}}}"""), MappingParser.ToJson(converted.Mapping));
    }

    [Fact]
    public void Convert_NullsAndEmptyArrays_AddNoMapping()
    {
        var converted = Convert(IndexMapping.Empty, """{"a":null,"b":[],"c":[null]}""");

        Assert.False(converted.MappingChanged);
        Assert.Empty(converted.Mapping.Properties);
    }

    [Fact]
    public void Convert_NewFieldInExistingObject_IsAddedBesideTheOthers()
    {
        var mapping = ParseMapping("""{"properties":{"o":{"properties":{"x":{"type":"keyword"}}}}}""");

        var converted = Convert(mapping, """{"o":{"x":"a","y":true}}""");

        AssertJson(
            JsonNode.Parse("""{"properties":{"o":{"properties":{"x":{"type":"keyword"},"y":{"type":"boolean"}}}}}"""),
            MappingParser.ToJson(converted.Mapping));
    }

    [Fact]
    public void Convert_StrictObjectInDynamicRoot_RejectsWithinThatObject()
    {
        var mapping = ParseMapping("""{"properties":{"o":{"dynamic":"strict","properties":{}}}}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"o":{"x":1}}"""));

        Assert.Equal("[1:11] mapping set to strict, dynamic introduction of [x] within [o] is not allowed", error.Reason);
    }

    [Fact]
    public void Convert_StrictRoot_InheritsIntoObjectsThatDoNotOverride()
    {
        var mapping = ParseMapping("""{"dynamic":"strict","properties":{"o":{"properties":{"p":{"dynamic":false,"properties":{}}}}}}""");

        var inherited = Assert.Throws<EngineException>(() => Convert(mapping, """{"o":{"x":1}}"""));
        var overridden = Convert(mapping, """{"o":{"p":{"anything":1}}}""");

        Assert.Equal("strict_dynamic_mapping_exception", inherited.Type);
        Assert.Contains("dynamic introduction of [x] within [o]", inherited.Reason, StringComparison.Ordinal);
        Assert.False(overridden.MappingChanged);
    }

    [Fact]
    public void Convert_StrictRootNullForUnmappedField_IsStillRejected()
    {
        var mapping = ParseMapping("""{"dynamic":"strict"}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"x":null}"""));

        Assert.Equal("strict_dynamic_mapping_exception", error.Type);
    }

    [Fact]
    public void Convert_StrictRootUnmappedObject_NamesTheObject()
    {
        var mapping = ParseMapping("""{"dynamic":"strict"}""");

        var error = Assert.Throws<EngineException>(() => Convert(mapping, """{"o":{"x":1}}"""));

        // The object value starts at byte 6.
        Assert.Equal("[1:6] mapping set to strict, dynamic introduction of [o] within [_doc] is not allowed", error.Reason);
    }

    [Fact]
    public void Convert_SameMappingAgain_ChangesNothing()
    {
        var first = Convert(IndexMapping.Empty, """{"t":"x","n":1,"o":{"d":"2020-01-01"}}""");

        var second = Convert(first.Mapping, """{"t":"y","n":2,"o":{"d":"2021-01-01"}}""");

        Assert.False(second.MappingChanged);
        Assert.Same(first.Mapping, second.Mapping);
    }
}
