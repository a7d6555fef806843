using System.Text.Json.Nodes;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class SourcePathTests
{
    [Fact]
    public void Set_DottedPath_CreatesObjectsAndReplacesALiteralDottedKey()
    {
        var source = JsonNode.Parse("""{"rerank.model": "old", "rerank": {"stale": "timeout"}, "keep": 1}""")!.AsObject();

        SourcePath.Set(source, "rerank.model", "m2");

        Assert.Equal("""{"rerank":{"stale":"timeout","model":"m2"},"keep":1}""", source.ToJsonString());
    }

    [Fact]
    public void Set_ThroughANonObject_ReplacesItWithAnObject()
    {
        var source = JsonNode.Parse("""{"a": 5}""")!.AsObject();

        SourcePath.Set(source, "a.b.c", true);

        Assert.Equal("""{"a":{"b":{"c":true}}}""", source.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a": {"b": {"c": 1}}}""", "1")]
    [InlineData("""{"a.b": {"c": 2}}""", "2")]
    [InlineData("""{"a": {"b.c": 3}}""", "3")]
    [InlineData("""{"a.b.c": 4}""", "4")]
    [InlineData("""{"a": {"x": 1}}""", null)]
    public void Get_ObjectOrLiteralDottedForms_FindsTheValue(string json, string? expected)
    {
        var value = SourcePath.Get(JsonNode.Parse(json)!.AsObject(), "a.b.c");

        Assert.Equal(expected, value?.ToJsonString());
    }
}
