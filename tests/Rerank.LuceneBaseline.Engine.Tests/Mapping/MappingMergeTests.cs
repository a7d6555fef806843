using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Tests.Mapping;

public sealed class MappingMergeTests
{
    [Fact]
    public void Merge_SameDefinitionAgain_ChangesNothing()
    {
        const string json = """{"properties":{"t":{"type":"text","analyzer":"english","fields":{"raw":{"type":"keyword"}}},"v":{"type":"dense_vector","dims":3}}}""";
        var current = Parse(json);

        var merged = Merge(current, json);

        AssertJson(MappingParser.ToJson(current), MappingParser.ToJson(merged));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("keyword")]
    public void Merge_ChangedSimilarity_Conflicts(string type)
    {
        var current = Parse("{\"properties\":{\"f\":{\"type\":\"" + type + "\"}}}");

        var error = Assert.Throws<EngineException>(() => Merge(current, "{\"properties\":{\"f\":{\"type\":\"" + type + "\",\"similarity\":\"boolean\"}}}"));

        Assert.Equal("Mapper for [f] conflicts with existing mapper:\n\tCannot update parameter [similarity] from [null] to [boolean]", error.Reason);
    }

    [Fact]
    public void Merge_OmittedNonUpdatableParameter_CountsAsItsDefault()
    {
        var current = Parse("""{"properties":{"k":{"type":"keyword","index":false}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"k":{"type":"keyword"}}}"""));

        Assert.Equal("Mapper for [k] conflicts with existing mapper:\n\tCannot update parameter [index] from [false] to [true]", error.Reason);
    }

    [Fact]
    public void Merge_ChangedAnalyzer_IsConflict()
    {
        var current = Parse("""{"properties":{"t":{"type":"text"}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"t":{"type":"text","analyzer":"english"}}}"""));

        Assert.Equal("Mapper for [t] conflicts with existing mapper:\n\tCannot update parameter [analyzer] from [standard] to [english]", error.Reason);
    }

    [Fact]
    public void Merge_SeveralConflicts_AreListedOnePerLine()
    {
        var current = Parse("""{"properties":{"v":{"type":"dense_vector","dims":3,"similarity":"cosine"}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"v":{"type":"dense_vector","dims":4,"similarity":"l2_norm"}}}"""));

        Assert.Equal(
            "Mapper for [v] conflicts with existing mapper:\n\tCannot update parameter [dims] from [3] to [4]\n\tCannot update parameter [similarity] from [cosine] to [l2_norm]",
            error.Reason);
    }

    [Fact]
    public void Merge_DimsSetWhereUnset_IsAllowed()
    {
        var current = Parse("""{"properties":{"v":{"type":"dense_vector"}}}""");

        var merged = Merge(current, """{"properties":{"v":{"type":"dense_vector","dims":5}}}""");

        Assert.Equal(5, merged.Find("v")!.Dims);
    }

    [Fact]
    public void Merge_UpdatableParameters_TakeTheNewValues()
    {
        var current = Parse("""{"properties":{"k":{"type":"keyword","ignore_above":10},"n":{"type":"long","coerce":false},"t":{"type":"text"}}}""");

        var merged = Merge(current, """{"properties":{"k":{"type":"keyword","ignore_above":20},"n":{"type":"long","ignore_malformed":true},"t":{"type":"text","norms":false}}}""");

        Assert.Equal(20, merged.Find("k")!.IgnoreAbove);
        Assert.True(merged.Find("n")!.Coerce);
        Assert.True(merged.Find("n")!.IgnoreMalformed);
        Assert.False(merged.Find("t")!.Norms);
    }

    [Fact]
    public void Merge_NormsBackToTrue_IsConflict()
    {
        var current = Parse("""{"properties":{"t":{"type":"text","norms":false}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"t":{"type":"text"}}}"""));

        Assert.Equal("Mapper for [t] conflicts with existing mapper:\n\tCannot update parameter [norms] from [false] to [true]", error.Reason);
    }

    [Fact]
    public void Merge_NewMultiField_IsAddedAndExistingOnesKept()
    {
        var current = Parse("""{"properties":{"t":{"type":"text","fields":{"raw":{"type":"keyword"}}}}}""");

        var merged = Merge(current, """{"properties":{"t":{"type":"text","fields":{"en":{"type":"text","analyzer":"english"}}}}}""");

        Assert.Equal(FieldType.Keyword, merged.Find("t.raw")!.Type);
        Assert.Equal("english", merged.Find("t.en")!.Analyzer);
    }

    [Fact]
    public void Merge_ObjectToConcrete_CannotMergeNonObject()
    {
        var current = Parse("""{"properties":{"o":{"properties":{"x":{"type":"long"}}}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"o":{"type":"keyword"}}}"""));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal("can't merge a non object mapping [o] with an object mapping", error.Reason);
    }

    [Fact]
    public void Merge_ConcreteToObject_CannotChangeType()
    {
        var current = Parse("""{"properties":{"k":{"type":"keyword"}}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"k":{"properties":{"x":{"type":"long"}}}}}"""));

        Assert.Equal("mapper [k] cannot be changed from type [keyword] to [object]", error.Reason);
    }

    [Fact]
    public void Merge_RootAndObjectDynamic_AreUpdated()
    {
        var current = Parse("""{"properties":{"o":{"dynamic":false,"properties":{}}}}""");

        var merged = Merge(current, """{"dynamic":"strict","date_detection":false,"properties":{"o":{"dynamic":true}}}""");

        Assert.Equal(DynamicMode.Strict, merged.Dynamic);
        Assert.False(merged.DateDetection);
        Assert.Equal(DynamicMode.True, merged.Find("o")!.Dynamic);
    }

    [Fact]
    public void Merge_WithoutMeta_KeepsTheCurrentMeta()
    {
        var current = Parse("""{"_meta":{"a":1}}""");

        var merged = Merge(current, """{"properties":{"x":{"type":"long"}}}""");

        AssertJson(JsonNode.Parse("""{"a":1}"""), merged.Meta);
    }

    [Fact]
    public void Merge_MalformedUpdate_IsWrappedParsingError()
    {
        var current = Parse("""{"properties":{}}""");

        var error = Assert.Throws<EngineException>(() => Merge(current, """{"properties":{"x":{"type":"lng"}}}"""));

        Assert.Equal("Failed to parse mapping: No handler for type [lng] declared on field [x]", error.Reason);
    }

    [Fact]
    public void Merge_ToJsonOfTheMapping_IsNoConflict()
    {
        var current = Parse("""{"properties":{"v":{"type":"dense_vector","dims":3},"d":{"type":"date"},"n":{"type":"float","null_value":1.5}}}""");

        var merged = MappingParser.Merge(current, MappingParser.ToJson(current), "test");

        AssertJson(MappingParser.ToJson(current), MappingParser.ToJson(merged));
    }

    [Fact]
    public void Merge_DynamicAdditionsOfTwoWriters_CombineOrConflict()
    {
        var first = Convert("""{"a":"x","o":{"d":"2020-01-01"}}""");
        var agreeing = Convert("""{"a":"y","o":{"n":1.5},"v":[1,2]}""");
        var disagreeing = Convert("""{"a":5}""");

        var merged = MappingParser.Merge(first, MappingParser.ToJson(agreeing), "test");
        var error = Assert.Throws<EngineException>(() => MappingParser.Merge(first, MappingParser.ToJson(disagreeing), "test"));

        Assert.Equal(FieldType.Date, merged.Find("o.d")!.Type);
        Assert.Equal(FieldType.Float, merged.Find("o.n")!.Type);
        Assert.Equal(FieldType.Long, merged.Find("v")!.Type);
        Assert.Equal("mapper [a] cannot be changed from type [text] to [long]", error.Reason);
    }

    private static IndexMapping Convert(string source) =>
        Rerank.LuceneBaseline.Engine.Documents.DocumentConverter.Convert(
            IndexMapping.Empty, "test", "1", JsonNode.Parse(source)!.AsObject(), new Rerank.LuceneBaseline.Engine.Documents.DocumentVersion(0, 1, 1)).Mapping;

    private static IndexMapping Parse(string json) => MappingParser.Parse(JsonNode.Parse(json)!.AsObject(), "test");

    private static IndexMapping Merge(IndexMapping current, string json) => MappingParser.Merge(current, JsonNode.Parse(json)!.AsObject(), "test");

    private static void AssertJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\n  actual {actual?.ToJsonString()}");
}
