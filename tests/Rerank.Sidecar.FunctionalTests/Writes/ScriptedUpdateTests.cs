using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Tests;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>
/// Scripted updates of an enabled index: the sidecar cannot see their effect on the text, so once the cluster has
/// answered it marks the document <c>script_update</c> (a bulk answered 200, whatever its items' results; an
/// <c>_update</c> only when it succeeded). The embedded engine refuses scripts, so a recording cluster plays one that runs them.
/// </summary>
public sealed class ScriptedUpdateTests
{
    [Fact]
    public async Task Bulk_ScriptedUpdateTheClusterAnswered_DocumentMarkedWithTheCallersCredentials()
    {
        // A cluster that runs scripts (the engine refuses them): it holds index "books" with a _meta.rerank whose stale
        // field is "meta.stale", and answers every bulk 200.
        await using var cluster = await RecordingUpstream.StartAsync();
        cluster.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            var answer = context.Request.Path.Value switch
            {
                "/books/_mapping" => """{"books":{"mappings":{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title"],"fields":{"stale":"meta.stale"}}}}}}""",
                "/other/_mapping" => """{"other":{"mappings":{"properties":{}}}}""",
                _ => """{"errors":false,"took":1,"items":[]}""",
            };
            await context.Response.WriteAsync(answer, context.RequestAborted);
        };
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = cluster.Url, Urls = ["http://127.0.0.1:0"] }, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };
        var body = """
            {"update":{"_index":"books","_id":"1","routing":"r1"}}
            {"script":{"source":"ctx._source.title = 'New'"}}
            {"update":{"_index":"books","_id":"2"}}
            {"doc":{"year":2024}}
            {"update":{"_index":"other","_id":"3"}}
            {"script":"ctx._source.n++"}

            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_bulk") { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey abc");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bulks = cluster.Requests.Where(r => r.Method == "POST" && r.RawTarget == "/_bulk").ToList();
        Assert.Equal(2, bulks.Count);
        Assert.Equal(body, Encoding.UTF8.GetString(bulks[0].Body));
        // Only the scripted update of the enabled index is marked ("other" has no config: its lookup answers no _meta).
        var mark = Encoding.UTF8.GetString(bulks[1].Body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, mark.Length);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"update":{"_index":"books","_id":"1","retry_on_conflict":3,"routing":"r1"}}"""), JsonNode.Parse(mark[0])), mark[0]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"doc":{"meta":{"stale":"script_update"}}}"""), JsonNode.Parse(mark[1])), mark[1]);
        Assert.Equal("ApiKey abc", bulks[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task Update_ScriptedUpdateTheClusterApplied_DocumentMarked()
    {
        await using var cluster = await RecordingUpstream.StartAsync();
        cluster.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            var answer = context.Request.Path.Value == "/books/_mapping"
                ? """{"books":{"mappings":{"_meta":{"rerank":{"version":1,"model":"m1","text_fields":["title"]}}}}}"""
                : """{"_index":"books","_id":"7","result":"updated"}""";
            await context.Response.WriteAsync(answer, context.RequestAborted);
        };
        await using var sidecar = await SidecarHost.StartAsync(new SidecarOptions { Upstream = cluster.Url, Urls = ["http://127.0.0.1:0"] }, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = sidecar.Urls[0] };

        using var response = await client.PostAsync("/books/_update/7?routing=x", new StringContent("""{"script":"ctx._source.title = 'T'"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mark = Assert.Single(cluster.Requests, r => r.RawTarget == "/_bulk");
        var lines = Encoding.UTF8.GetString(mark.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"update":{"_index":"books","_id":"7","retry_on_conflict":3,"routing":"x"}}"""), JsonNode.Parse(lines[0])), lines[0]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"doc":{"rerank":{"stale":"script_update"}}}"""), JsonNode.Parse(lines[1])), lines[1]);
    }

    [Fact]
    public async Task Update_ScriptedUpdateTheClusterRefused_IsNotMarked()
    {
        await using var stack = await WritePathStack.StartAsync();
        await stack.InitAsync(stack.SidecarUrl, "books");
        await WritePathStack.OkAsync(stack.Sidecar, HttpMethod.Put, "/books/_doc/1?refresh=true", """{"title":"Old","text":"old text"}""");

        var (status, _) = await WritePathStack.SendAsync(stack.Sidecar, HttpMethod.Post, "/books/_update/1", """{"script":{"source":"ctx._source.title = 'New'"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(StoredFields.Stale(await stack.SourceAsync("books", "1")));
    }
}
