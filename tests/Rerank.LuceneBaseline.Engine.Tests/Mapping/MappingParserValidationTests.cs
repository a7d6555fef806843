using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Tests.Mapping;

/// <summary>The reasons below are Elasticsearch's own wording (FieldMapper, ObjectMapper, DenseVectorFieldMapper, ...).</summary>
public sealed class MappingParserValidationTests
{
    [Fact]
    public void Parse_Null_IsEmptyDynamicMapping()
    {
        var mapping = MappingParser.Parse(null, "test");

        Assert.Empty(mapping.Properties);
        Assert.Equal(DynamicMode.True, mapping.Dynamic);
        Assert.Empty(MappingParser.ToJson(mapping));
    }

    [Theory]
    [InlineData("true", nameof(DynamicMode.True))]
    [InlineData("\"true\"", nameof(DynamicMode.True))]
    [InlineData("false", nameof(DynamicMode.False))]
    [InlineData("\"false\"", nameof(DynamicMode.False))]
    [InlineData("\"strict\"", nameof(DynamicMode.Strict))]
    [InlineData("\"STRICT\"", nameof(DynamicMode.Strict))]
    public void Parse_DynamicValue_IsReadAsElasticsearchReadsIt(string json, string expected)
    {
        Assert.Equal(Enum.Parse<DynamicMode>(expected), Parse("""{"dynamic":JSON}""".Replace("JSON", json, StringComparison.Ordinal)).Dynamic);
    }

    [Fact]
    public void Parse_DynamicNotBoolean_CouldNotConvert()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"dynamic":"maybe"}"""));

        Assert.Equal("Failed to parse mapping: Could not convert [_doc.dynamic] to boolean", error.Reason);
    }

    [Fact]
    public void Parse_DynamicRuntime_IsUnsupported()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"dynamic":"runtime"}"""));

        Assert.Equal("mapper_parsing_exception", error.Type);
        Assert.StartsWith("Failed to parse mapping: the embedded engine does not support [dynamic] [runtime]", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_source", """{"enabled":false}""")]
    [InlineData("runtime", "{}")]
    [InlineData("dynamic_templates", "[]")]
    public void Parse_RootParameterTheEngineLacks_IsNamed(string key, string value)
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"KEY":VALUE}""".Replace("KEY", key, StringComparison.Ordinal).Replace("VALUE", value, StringComparison.Ordinal)));

        Assert.Equal($"Failed to parse mapping: the embedded engine does not support the root mapping parameter [{key}]", error.Reason);
    }

    [Fact]
    public void Parse_SeveralUnknownRootParameters_ListsEachInJavaForm()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"a":1,"b":{"type":"text","index":false},"c":[1,2]}"""));

        Assert.Equal("Root mapping definition has unsupported parameters:  [a : 1] [b : {type=text, index=false}] [c : [1, 2]]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_FieldWithoutTypeOrProperties_NoTypeSpecified()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"f":{"index":false}}}"""));

        Assert.Equal("No type specified for field [f]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_FieldDefinitionNotAnObject_ExpectedMap()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"f":"text"}}"""));

        Assert.Equal("Expected map for property [fields] on field [f] but got a class java.lang.String", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_ObjectWithUnknownParameter_UnsupportedParameters()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"o":{"properties":{},"foo":1}}}"""));

        Assert.Equal("Mapping definition for [o] has unsupported parameters:  [foo : 1]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_Boost_IsUnknownSince8()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","boost":2}}}"""));

        Assert.Equal("Unknown parameter [boost] on mapper [t]", error.RootCause!.Reason);
    }

    [Theory]
    [InlineData("text", "store", "true")]
    [InlineData("text", "copy_to", "\"x\"")]
    [InlineData("text", "index_options", "\"docs\"")]
    [InlineData("keyword", "normalizer", "\"lowercase\"")]
    [InlineData("long", "time_series_metric", "\"gauge\"")]
    [InlineData("date", "locale", "\"de\"")]
    public void Parse_ElasticsearchParameterTheEngineLacks_IsNamed(string type, string parameter, string value)
    {
        var error = Assert.Throws<EngineException>(() => Parse(Field(type, parameter, value)));

        Assert.Equal($"the embedded engine does not support parameter [{parameter}] on mapper [f] of type [{type}]", error.RootCause!.Reason);
    }

    [Theory]
    [InlineData("keyword", "analyzer")]
    [InlineData("long", "ignore_above")]
    [InlineData("boolean", "format")]
    [InlineData("dense_vector", "analyzer")]
    public void Parse_ParameterOfAnotherType_IsUnknown(string type, string parameter)
    {
        var error = Assert.Throws<EngineException>(() => Parse(Field(type, parameter, "\"x\"")));

        Assert.Equal($"unknown parameter [{parameter}] on mapper [f] of type [{type}]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_NullParameter_MustNotBeNull()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","analyzer":null}}}"""));

        Assert.Equal("[analyzer] on mapper [t] of type [text] must not have a [null] value", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_IndexNotBoolean_IsIllegalArgumentWithoutRootCause()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"k":{"type":"keyword","index":"yes"}}}"""));

        Assert.Equal("Failed to parse mapping: Failed to parse value [yes] as only [true] or [false] are allowed.", error.Reason);
        Assert.Null(error.RootCause);
        Assert.Equal("illegal_argument_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_IgnoreAboveNotANumber_NumberFormat()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"k":{"type":"keyword","ignore_above":"lots"}}}"""));

        Assert.Equal("Failed to parse mapping: For input string: \"lots\"", error.Reason);
        Assert.Equal("number_format_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_SearchAnalyzerDifferentFromAnalyzer_IsUnsupported()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","analyzer":"english","search_analyzer":"standard"}}}"""));

        Assert.StartsWith("the embedded engine does not support a [search_analyzer] different from the [analyzer] on field [t]", error.RootCause!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SearchAnalyzerSameAsAnalyzer_IsAccepted()
    {
        var mapping = Parse("""{"properties":{"t":{"type":"text","analyzer":"english","search_analyzer":"english"}}}""");

        Assert.Equal("english", mapping.Find("t")!.Analyzer);
    }

    [Fact]
    public void Parse_MultiFieldNameWithDot_IsRejected()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","fields":{"a.b":{"type":"keyword"}}}}}"""));

        Assert.Equal("Field name [a.b] which is a multi field of [t] cannot contain '.'", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_ObjectAsMultiField_IsRejected()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","fields":{"o":{"type":"object"}}}}}"""));

        Assert.Equal("Type [object] cannot be used in multi field", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_MultiFieldWithoutType_NoTypeSpecified()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","fields":{"raw":{}}}}}"""));

        Assert.Equal("no type specified for property [raw]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_MultiFields_AreFoundByFullPath()
    {
        var mapping = Parse("""{"properties":{"t":{"type":"text","fields":{"raw":{"type":"keyword"},"en":{"type":"text","analyzer":"english"}}}}}""");

        Assert.Equal(FieldType.Keyword, mapping.Find("t.raw")!.Type);
        Assert.Equal("english", mapping.Find("t.en")!.Analyzer);
        Assert.Equal("t.en", mapping.Find("t.en")!.Path);
    }

    [Fact]
    public void Parse_MetadataFieldInProperties_IsRejected()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"_id":{"type":"keyword"}}}"""));

        Assert.Equal("mapper_parsing_exception", error.Type);
        Assert.Equal("Field [_id] is defined more than once", error.RootCause!.Reason);
    }

    [Theory]
    [InlineData("", "field name cannot be an empty string")]
    [InlineData("a.", "field name starting or ending with a [.] makes object resolution ambiguous: [a.]")]
    [InlineData("..", "field name cannot contain only dots")]
    public void Parse_BadFieldName_IsRejected(string name, string reason)
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"NAME":{"type":"keyword"}}}""".Replace("NAME", name, StringComparison.Ordinal)));

        Assert.Equal("Failed to parse mapping: " + reason, error.Reason);
    }

    [Fact]
    public void Parse_DottedNameNextToSameObject_MergesTheProperties()
    {
        var mapping = Parse("""{"properties":{"a":{"properties":{"x":{"type":"long"}}},"a.y":{"type":"keyword"}}}""");

        Assert.Equal(FieldType.Long, mapping.Find("a.x")!.Type);
        Assert.Equal(FieldType.Keyword, mapping.Find("a.y")!.Type);
    }

    [Fact]
    public void Parse_ObjectWithDynamicAndEnabled_KeepsThem()
    {
        var mapping = Parse("""{"properties":{"o":{"dynamic":"strict","properties":{"p":{"enabled":false}}}}}""");

        Assert.Equal(DynamicMode.Strict, mapping.Find("o")!.Dynamic);
        Assert.Null(mapping.Find("o.p")!.Dynamic);
        Assert.False(mapping.Find("o.p")!.Enabled);
    }

    [Fact]
    public void Parse_KeywordNegativeIgnoreAbove_MustBePositive()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"k":{"type":"keyword","ignore_above":-1}}}"""));

        Assert.Equal("Failed to parse mapping: [ignore_above] must be positive, got [-1]", error.Reason);
    }

    [Fact]
    public void Parse_NumericNullValueWithFraction_HasDecimalPart()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"n":{"type":"long","null_value":1.5}}}"""));

        Assert.Equal("Failed to parse mapping: Value [1.5] has a decimal part", error.Reason);
    }

    [Fact]
    public void Parse_DateFormatWithUnknownLetter_ErrorParsingFormat()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"d":{"type":"date","format":"yyyy-bb"}}}"""));

        Assert.Equal("Failed to parse mapping: Error parsing [format] on field [d]: Invalid format: [yyyy-bb]: Unknown pattern letter: b", error.Reason);
    }

    [Fact]
    public void Parse_DateNullValueNotInFormat_ErrorParsingNullValue()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"d":{"type":"date","format":"yyyy","null_value":"soon"}}}"""));

        Assert.StartsWith("Error parsing [null_value] on field [d]: ", error.RootCause!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DenseVectorDimsAsString_MustBeAnInteger()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":"3"}}}"""));

        Assert.Equal("Property [dims] on field [v] must be an integer but got [3]", error.RootCause!.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void Parse_DenseVectorDimsOutOfRange_NamesTheRange(int dims)
    {
        var error = Assert.Throws<EngineException>(() => Parse(Field("dense_vector", "dims", dims.ToString(System.Globalization.CultureInfo.InvariantCulture), name: "v")));

        Assert.Equal($"The number of dimensions for field [v] should be in the range [1, 4096] but was [{dims}]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_DenseVectorUnknownSimilarity_ListsTheAcceptedValues()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"similarity":"manhattan"}}}"""));

        Assert.Equal("Unknown value [manhattan] for field [similarity] - accepted values are [l2_norm, cosine, dot_product, max_inner_product]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_DenseVectorSimilarityWithoutIndex_IsIllegal()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"index":false,"similarity":"cosine"}}}"""));

        Assert.Equal("Failed to parse mapping: Field [similarity] can only be specified for a field of type [dense_vector] when it is indexed", error.Reason);
    }

    [Fact]
    public void Parse_DenseVectorNullSimilarityWhenIndexed_RequiresSimilarity()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"similarity":null}}}"""));

        Assert.Equal("Failed to parse mapping: Field [index] requires field [similarity] to be configured and not null", error.Reason);
    }

    [Theory]
    [InlineData("byte")]
    [InlineData("bit")]
    public void Parse_DenseVectorNonFloatElements_AreUnsupported(string elementType)
    {
        var error = Assert.Throws<EngineException>(() => Parse(Field("dense_vector", "element_type", "\"" + elementType + "\"", name: "v")));

        Assert.Equal($"the embedded engine does not support [element_type] [{elementType}] on field [v]; only [float] vectors are implemented", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_DenseVectorUnknownIndexOptionsType_IsRejected()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"index_options":{"type":"ivf"}}}}"""));

        Assert.Equal("Unknown vector index options type [ivf] for field [v]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_DenseVectorIndexOptionsWithoutType_RequiresType()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"index_options":{"m":4}}}}"""));

        Assert.Equal("[index_options] requires field [type] to be configured", error.RootCause!.Reason);
    }

    [Fact]
    public void ToJson_DenseVectorOptions_EchoesGivenOptionsWithHnswDefaults()
    {
        var mapping = Parse("""{"properties":{"v":{"type":"dense_vector","similarity":"l2_norm","index_options":{"type":"hnsw","m":32}}}}""");

        // dims omitted: set by the first document, not echoed until then.
        var expected = JsonNode.Parse("""
            {"properties":{"v":{"type":"dense_vector","index":true,"similarity":"l2_norm","index_options":{"type":"hnsw","m":32,"ef_construction":100}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, MappingParser.ToJson(mapping)), MappingParser.ToJson(mapping).ToJsonString());
        Assert.Null(mapping.Find("v")!.Dims);
    }

    [Fact]
    public void ToJson_RootDetectionSettings_AreEchoedWhenSet()
    {
        var mapping = Parse("""{"dynamic":true,"date_detection":false,"numeric_detection":true,"dynamic_date_formats":["MM/dd/yyyy"]}""");

        var expected = JsonNode.Parse("""{"dynamic":"true","date_detection":false,"numeric_detection":true,"dynamic_date_formats":["MM/dd/yyyy"]}""");
        Assert.True(JsonNode.DeepEquals(expected, MappingParser.ToJson(mapping)), MappingParser.ToJson(mapping).ToJsonString());
    }

    [Fact]
    public void ToJson_TextKeywordNumericParameters_AreEchoedWhenNotDefault()
    {
        var mapping = Parse("""
            {"properties":{
              "t":{"type":"text","norms":false,"position_increment_gap":10,"meta":{"unit":"words"},"similarity":"boolean"},
              "k":{"type":"keyword","doc_values":false,"null_value":"NULL","similarity":"BM25"},
              "h":{"type":"half_float","ignore_malformed":true,"index":false},
              "b":{"type":"boolean","null_value":"true"},
              "d":{"type":"date","format":"yyyy-MM-dd","null_value":"2020-01-01"}
            }}
            """);

        var expected = JsonNode.Parse("""
            {"properties":{
              "b":{"type":"boolean","null_value":true},
              "d":{"type":"date","format":"yyyy-MM-dd","null_value":"2020-01-01"},
              "h":{"type":"half_float","index":false,"ignore_malformed":true},
              "k":{"type":"keyword","doc_values":false,"null_value":"NULL","similarity":"BM25"},
              "t":{"type":"text","norms":false,"similarity":"boolean","position_increment_gap":10,"meta":{"unit":"words"}}
            }}
            """);
        Assert.True(JsonNode.DeepEquals(expected, MappingParser.ToJson(mapping)), MappingParser.ToJson(mapping).ToJsonString());
    }

    [Fact]
    public void ToJson_OfParse_ParsesBackToTheSameJson()
    {
        var json = """
            {"dynamic":"false","_meta":{"v":1},"properties":{
              "o":{"properties":{"t":{"type":"text","analyzer":"cjk","fields":{"k":{"type":"keyword","ignore_above":5}}}}},
              "v":{"type":"dense_vector","dims":4,"index":true,"similarity":"max_inner_product","index_options":{"type":"int8_hnsw","m":16,"ef_construction":100}}}}
            """;

        var once = MappingParser.ToJson(Parse(json));
        var twice = MappingParser.ToJson(MappingParser.Parse(once, "test"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), once), once.ToJsonString());
        Assert.True(JsonNode.DeepEquals(once, twice), twice.ToJsonString());
    }

    /// <summary>A mapping with the one field <paramref name="name"/> of <paramref name="type"/> and one parameter (its JSON value).</summary>
    private static string Field(string type, string parameter, string value, string name = "f") =>
        "{\"properties\":{\"" + name + "\":{\"type\":\"" + type + "\",\"" + parameter + "\":" + value + "}}}";

    private static IndexMapping Parse(string json) => MappingParser.Parse(JsonNode.Parse(json)!.AsObject(), "test");
}
