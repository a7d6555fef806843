using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Http;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

public sealed class SourceFilterParametersTests
{
    private const string Source = """{"title":"t","author":{"name":"n","email":"e"},"tags":["a","b"],"refs":[{"id":1,"note":"x"},{"id":2,"note":"y"}],"empty":null}""";

    // Expected results worked out by hand from Elasticsearch's source filtering rules ("_source" includes/excludes).
    [Theory]
    [InlineData("""["title"]""", "[]", """{"title":"t"}""")]
    [InlineData("""["author.name"]""", "[]", """{"author":{"name":"n"}}""")]
    [InlineData("""["author.*"]""", "[]", """{"author":{"name":"n","email":"e"}}""")]
    [InlineData("""["author"]""", """["author.email"]""", """{"author":{"name":"n"}}""")]
    [InlineData("[]", """["author","refs"]""", """{"title":"t","tags":["a","b"],"empty":null}""")]
    [InlineData("""["refs.id"]""", "[]", """{"refs":[{"id":1},{"id":2}]}""")]
    [InlineData("""["tags"]""", "[]", """{"tags":["a","b"]}""")]
    [InlineData("""["*.name","title"]""", "[]", """{"title":"t","author":{"name":"n"}}""")]
    [InlineData("""["nope"]""", "[]", """{}""")]
    public void Apply_IncludesAndExcludes_KeepTheMatchingPaths(string includes, string excludes, string expected)
    {
        var filter = SourceFilterParameters.Parse(
            new JsonObject { ["includes"] = JsonNode.Parse(includes), ["excludes"] = JsonNode.Parse(excludes) }, "test");

        var filtered = filter.Apply(JsonNode.Parse(Source)!.AsObject());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), filtered), filtered.ToJsonString());
    }

    [Fact]
    public void Parse_False_DoesNotFetch() => Assert.False(SourceFilterParameters.Parse(JsonValue.Create(false), "test").Fetch);

    [Fact]
    public void Parse_String_IsOneInclude()
    {
        var filter = SourceFilterParameters.Parse(JsonValue.Create("author.*"), "test");

        Assert.True(filter.Fetch);
        Assert.Equal(["author.*"], filter.Includes);
    }

    [Fact]
    public void Parse_UnknownObjectKey_IsAParsingError()
    {
        var error = Assert.Throws<Rerank.LuceneBaseline.Engine.Errors.EngineException>(
            () => SourceFilterParameters.Parse(new JsonObject { ["include_all"] = true }, "test"));

        Assert.Equal("parsing_exception", error.Type);
        Assert.Equal(400, error.Status);
    }
}
