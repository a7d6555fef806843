namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>Findings from Elasticsearch's YAML REST tests: <c>stored_fields</c> with <c>_source</c>, and parameter validation before index resolution.</summary>
public sealed class StoredFieldsAndOrderTests
{
    [Theory]
    [InlineData("""{"stored_fields":["title","_source"]}""", "")]
    [InlineData("""{"stored_fields":"_source"}""", "")]
    [InlineData("{}", "?stored_fields=title,_source")]
    public async Task StoredFields_NamingSource_KeepsTheSource(string body, string query)
    {
        await using var engine = await Http.EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1?refresh=true", """{"title":"dune"}""");

        var response = await engine.PostAsync("/books/_search" + query, body);

        var hit = response.Json["hits"]!["hits"]![0]!;
        SearchAssert.Json("""{"title":"dune"}""", hit["_source"]);
        Assert.Equal("1", (string?)hit["_id"]);
    }

    [Fact]
    public async Task StoredFields_WithoutSource_LeavesTheSourceOut()
    {
        await using var engine = await Http.EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1?refresh=true", """{"title":"dune"}""");

        var response = await engine.PostAsync("/books/_search", """{"stored_fields":["title"]}""");

        Assert.Null(response.Json["hits"]!["hits"]![0]!["_source"]);
    }

    [Theory]
    [InlineData("GET", "/missing/_search?terminate_after=-1", null)]
    [InlineData("POST", "/missing/_search", """{"terminate_after":-1}""")]
    [InlineData("GET", "/missing/_count?terminate_after=-1", null)]
    public async Task NegativeTerminateAfter_OnAMissingIndex_Is400BeforeThe404(string method, string path, string? body)
    {
        await using var engine = await Http.EngineServer.StartAsync();

        var response = await engine.SendAsync(method, path, body);

        // Elasticsearch's REST layer rejects the parameter before the transport action resolves the index.
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(("illegal_argument_exception", "terminateAfter must be > 0"), ((string?)response.Json["error"]!["type"], (string?)response.Json["error"]!["reason"]));
    }
}
