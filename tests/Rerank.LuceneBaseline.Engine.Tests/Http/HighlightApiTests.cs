using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary><c>highlight</c> over real HTTP, as a sidecar fetching a reranked page through an alias would ask for it.</summary>
public sealed class HighlightApiTests
{
    [Fact]
    public async Task Search_ThroughAliasWithHighlightAndNoSource_ReturnsFragmentsPerHit()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/passages-v1", """{"mappings": {"properties": {"text": {"type": "text"}}}, "aliases": {"passages": {}}}""");
        await engine.BulkAsync("/passages/_bulk?refresh=true", """
            {"index": {"_id": "1"}}
            {"text": "Aspirin reduces fever. It also thins the blood."}
            {"index": {"_id": "2"}}
            {"text": "Ibuprofen is another drug."}

            """);

        var response = await engine.PostAsync("/passages/_search", """
            {"query": {"match": {"text": "fever blood"}}, "_source": false,
             "highlight": {"fields": {"text": {"number_of_fragments": 0}}}}
            """);

        Assert.Equal(200, response.StatusCode);
        var hit = Assert.Single(response.Json["hits"]!["hits"]!.AsArray())!;
        Assert.Equal("passages-v1", (string?)hit["_index"]);
        Assert.False(hit.AsObject().ContainsKey("_source"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"text": ["Aspirin reduces <em>fever</em>. It also thins the <em>blood</em>."]}"""), hit["highlight"]));
    }

    [Fact]
    public async Task Search_HighlightWithFastVectorHighlighter_Is400NamingIt()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/p");

        var response = await engine.PostAsync("/p/_search", """{"highlight": {"type": "fvh", "fields": {"text": {}}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            ("illegal_argument_exception", "highlight [type] [fvh] (the fast vector highlighter) is not supported by the embedded engine"),
            ((string?)response.Json["error"]!["type"], (string?)response.Json["error"]!["reason"]));
    }
}
