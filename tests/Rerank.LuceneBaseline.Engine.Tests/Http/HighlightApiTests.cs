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

    [Fact]
    public async Task Search_ValueOverTheIndexsMaxAnalyzedOffset_FailsUnlessTheRequestTruncates()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/p", """{"settings": {"index.highlight.max_analyzed_offset": 20}, "mappings": {"properties": {"text": {"type": "text"}}}}""");
        // 33 characters; "fever" starts at offset 8 and "blood" at offset 28.
        await engine.PutAsync("/p/_doc/1?refresh=true", """{"text": "Aspirin fever thins the old blood"}""");
        const string Query = """{"query": {"match": {"text": "fever blood"}}, "highlight": {"fields": {"text": {"number_of_fragments": 0}}MAX}}""";

        var failed = await engine.PostAsync("/p/_search", Query.Replace("MAX", "", StringComparison.Ordinal));
        var truncated = await engine.PostAsync("/p/_search", Query.Replace("MAX", ", \"max_analyzed_offset\": 100", StringComparison.Ordinal));
        var settings = await engine.GetAsync("/p/_settings");

        Assert.Equal(400, failed.StatusCode);
        Assert.Equal(
            "The length [33] of field [text] in doc[0]/index[p] exceeds the [index.highlight.max_analyzed_offset] limit [20]. To avoid this "
            + "error, set the query parameter [max_analyzed_offset] to a value less than index setting [20] and this will tolerate long field "
            + "values by truncating them.",
            (string?)failed.Json["error"]!["root_cause"]![0]!["reason"]);
        // The request's larger offset is capped at the index's 20: "blood" (offset 28) is left unhighlighted.
        Assert.Equal(200, truncated.StatusCode);
        Assert.Equal("Aspirin <em>fever</em> thins the old blood", (string?)truncated.Json["hits"]!["hits"]![0]!["highlight"]!["text"]![0]);
        Assert.Equal("20", (string?)settings.Json["p"]!["settings"]!["index"]!["highlight"]!["max_analyzed_offset"]);
    }
}
