using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Tests.Search;

public sealed class SourceFilterTests
{
    private const string Source = """
        {"a": 1, "b": {"c": 2, "d": {"e": 3}}, "arr": [{"x": 1, "y": 2}, {"x": 3}], "tags": ["p", "q"], "dotted.key": 5, "empty": {}}
        """;

    private const string Everything = """{"a": 1, "b": {"c": 2, "d": {"e": 3}}, "arr": [{"x": 1, "y": 2}, {"x": 3}], "tags": ["p", "q"], "dotted.key": 5, "empty": {}}""";

    [Theory]
    [InlineData(new[] { "a" }, new string[0], """{"a": 1}""")]
    [InlineData(new[] { "b" }, new string[0], """{"b": {"c": 2, "d": {"e": 3}}}""")]
    [InlineData(new[] { "b.d.e" }, new string[0], """{"b": {"d": {"e": 3}}}""")]
    [InlineData(new[] { "b.*" }, new string[0], """{"b": {"c": 2, "d": {"e": 3}}}""")]
    [InlineData(new[] { "*.e" }, new string[0], """{"b": {"d": {"e": 3}}}""")]
    [InlineData(new[] { "b*" }, new string[0], """{"b": {"c": 2, "d": {"e": 3}}}""")]
    [InlineData(new[] { "arr.x" }, new string[0], """{"arr": [{"x": 1}, {"x": 3}]}""")]
    [InlineData(new[] { "tags" }, new string[0], """{"tags": ["p", "q"]}""")]
    [InlineData(new[] { "tags.x" }, new string[0], "{}")]
    [InlineData(new[] { "dotted" }, new string[0], """{"dotted.key": 5}""")]
    [InlineData(new[] { "dotted.key" }, new string[0], """{"dotted.key": 5}""")]
    [InlineData(new[] { "empty" }, new string[0], """{"empty": {}}""")]
    [InlineData(new[] { "nope" }, new string[0], "{}")]
    [InlineData(new string[0], new[] { "b.d" }, """{"a": 1, "b": {"c": 2}, "arr": [{"x": 1, "y": 2}, {"x": 3}], "tags": ["p", "q"], "dotted.key": 5, "empty": {}}""")]
    [InlineData(new string[0], new[] { "b.*" }, """{"a": 1, "b": {}, "arr": [{"x": 1, "y": 2}, {"x": 3}], "tags": ["p", "q"], "dotted.key": 5, "empty": {}}""")]
    [InlineData(new string[0], new[] { "*" }, "{}")]
    [InlineData(new string[0], new[] { "dotted" }, """{"a": 1, "b": {"c": 2, "d": {"e": 3}}, "arr": [{"x": 1, "y": 2}, {"x": 3}], "tags": ["p", "q"], "empty": {}}""")]
    [InlineData(new[] { "a", "b.c" }, new[] { "a" }, """{"b": {"c": 2}}""")]
    [InlineData(new[] { "arr" }, new[] { "arr.y" }, """{"arr": [{"x": 1}, {"x": 3}]}""")]
    [InlineData(new[] { "*" }, new string[0], Everything)]
    public void Apply_IncludesAndExcludes_KeepWhatElasticsearchKeeps(string[] includes, string[] excludes, string expected)
    {
        var source = JsonNode.Parse(Source)!.AsObject();

        new SourceFilter(new SourceSpec(true, includes, excludes)).Apply(source);

        SearchAssert.Json(expected, source);
    }

    [Fact]
    public void Apply_ReusedAcrossDocuments_GivesTheSameResult()
    {
        var filter = new SourceFilter(new SourceSpec(true, ["b.c", "tags"], []));
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var source = JsonNode.Parse(Source)!.AsObject();
            filter.Apply(source);
            SearchAssert.Json("""{"b": {"c": 2}, "tags": ["p", "q"]}""", source);
        }
    }
}
