using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Tests.Mapping;

public sealed class MappingParserTests
{
    [Fact]
    public void Parse_UnknownRootParameter_IsWrappedMapperParsingException()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"foo":"bar","properties":{}}"""));

        // Elasticsearch's checkNoRemainingFields puts a space before each "[key : value]", hence two spaces.
        Assert.Equal(400, error.Status);
        Assert.Equal("mapper_parsing_exception", error.Type);
        Assert.Equal("Failed to parse mapping: Root mapping definition has unsupported parameters:  [foo : bar]", error.Reason);
        Assert.Equal("mapper_parsing_exception", error.RootCause!.Type);
        Assert.Equal("Root mapping definition has unsupported parameters:  [foo : bar]", error.RootCause.Reason);
    }

    [Fact]
    public void Parse_UnknownType_NamesTypeAndField()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"title":{"type":"strin"}}}"""));

        Assert.Equal("No handler for type [strin] declared on field [title]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_UnknownParameter_NamesParameterFieldAndType()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"title":{"type":"text","foo":1}}}"""));

        Assert.Equal("Failed to parse mapping: unknown parameter [foo] on mapper [title] of type [text]", error.Reason);
    }

    [Fact]
    public void Parse_ElasticsearchTypeTheEngineLacks_SaysSo()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"loc":{"type":"geo_point"}}}"""));

        Assert.Equal("mapper_parsing_exception", error.Type);
        Assert.Equal("the embedded engine does not support type [geo_point] on field [loc]", error.RootCause!.Reason);
    }

    [Fact]
    public void Parse_UnknownAnalyzer_IsCausedByIllegalArgument()
    {
        var error = Assert.Throws<EngineException>(() => Parse("""{"properties":{"t":{"type":"text","analyzer":"klingon"}}}"""));

        Assert.Equal("Failed to parse mapping: analyzer [klingon] has not been configured in mappings", error.Reason);
        Assert.Null(error.RootCause);
        Assert.Equal("illegal_argument_exception", error.Extra!["caused_by"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_DottedFieldName_ExpandsToObjects()
    {
        var mapping = Parse("""{"properties":{"author.name":{"type":"keyword"},"author.age":{"type":"integer"}}}""");

        var author = mapping.Find("author")!;
        Assert.Equal(FieldType.Object, author.Type);
        Assert.Equal(FieldType.Keyword, mapping.Find("author.name")!.Type);
        Assert.Equal(FieldType.Integer, mapping.Find("author.age")!.Type);
        Assert.Equal(["age", "name"], author.Properties!.Keys.Order());
    }

    [Fact]
    public void ToJson_FullMapping_EchoesWhatElasticsearchEchoes()
    {
        var mapping = Parse("""
            {"dynamic":"strict","_meta":{"owner":"me"},"properties":{
              "title":{"type":"text","analyzer":"standard","fields":{"raw":{"type":"keyword","ignore_above":10}}},
              "body":{"type":"text","analyzer":"english","index":"false"},
              "n":{"type":"long","coerce":false,"null_value":"5"},
              "v":{"type":"dense_vector","dims":3,"similarity":"dot_product"},
              "w":{"type":"dense_vector","dims":2,"index":false},
              "d":{"type":"date","format":"strict_date_optional_time||epoch_millis"},
              "obj":{"dynamic":false,"properties":{"x":{"type":"boolean"}}},
              "empty":{"type":"object"}
            }}
            """);

        // Defaults are not echoed (analyzer standard, the default date format); dynamic is echoed as a string;
        // dense_vector always shows index, and index_options when indexed.
        var expected = JsonNode.Parse("""
            {"dynamic":"strict","_meta":{"owner":"me"},"properties":{
              "body":{"type":"text","analyzer":"english","index":false},
              "d":{"type":"date"},
              "empty":{"type":"object"},
              "n":{"type":"long","coerce":false,"null_value":5},
              "obj":{"dynamic":"false","properties":{"x":{"type":"boolean"}}},
              "title":{"type":"text","fields":{"raw":{"type":"keyword","ignore_above":10}}},
              "v":{"type":"dense_vector","dims":3,"index":true,"similarity":"dot_product","index_options":{"type":"int8_hnsw","m":16,"ef_construction":100}},
              "w":{"type":"dense_vector","dims":2,"index":false}
            }}
            """);
        Assert.True(JsonNode.DeepEquals(expected, MappingParser.ToJson(mapping)), MappingParser.ToJson(mapping).ToJsonString());
    }

    [Fact]
    public void Merge_ChangedDims_IsConflictNamingTheParameter()
    {
        var current = Parse("""{"properties":{"v":{"type":"dense_vector","dims":3}}}""");

        var error = Assert.Throws<EngineException>(() => MappingParser.Merge(current, Json("""{"properties":{"v":{"type":"dense_vector","dims":4}}}"""), "test"));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal("Mapper for [v] conflicts with existing mapper:\n\tCannot update parameter [dims] from [3] to [4]", error.Reason);
    }

    [Fact]
    public void Merge_ChangedType_IsIllegalArgument()
    {
        var current = Parse("""{"properties":{"a":{"type":"keyword"}}}""");

        var error = Assert.Throws<EngineException>(() => MappingParser.Merge(current, Json("""{"properties":{"a":{"type":"long"}}}"""), "test"));

        Assert.Equal("mapper [a] cannot be changed from type [keyword] to [long]", error.Reason);
    }

    [Fact]
    public void Merge_NewFieldsAndMeta_AreAddedAndMetaReplaced()
    {
        var current = Parse("""{"_meta":{"a":1,"b":2},"properties":{"o":{"properties":{"x":{"type":"keyword"}}}}}""");

        var merged = MappingParser.Merge(current, Json("""{"_meta":{"c":3},"properties":{"o":{"properties":{"y":{"type":"long"}}},"z":{"type":"boolean"}}}"""), "test");

        var expected = JsonNode.Parse("""
            {"_meta":{"c":3},"properties":{
              "o":{"properties":{"x":{"type":"keyword"},"y":{"type":"long"}}},
              "z":{"type":"boolean"}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, MappingParser.ToJson(merged)), MappingParser.ToJson(merged).ToJsonString());
    }

    private static IndexMapping Parse(string json) => MappingParser.Parse(Json(json), "test");

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();
}
