using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary><c>_bulk</c> over real HTTP: the documentation's request and answer, per-item failures, durability.</summary>
public sealed class BulkApiContractTests
{
    [Fact]
    public async Task Bulk_DocumentationExample_AnswersItemByItem()
    {
        await using var engine = await EngineServer.StartAsync();

        // Against an empty engine.
        var response = await engine.BulkAsync("/_bulk", BulkDocumentationExample.Ndjson);

        Assert.Equal(200, response.StatusCode);
        Shape.AssertMatches("bulk", response.Json);
        var items = response.Json["items"]!.AsArray();
        Assert.False((bool)response.Json["errors"]!);
        Assert.Equal(["created", "not_found", "created", "updated"], items.Select(i => (string?)i!.AsObject().Single().Value!["result"]));
        Assert.Equal([201, 404, 201, 200], items.Select(i => (int)i!.AsObject().Single().Value!["status"]!));
        // One sequence number per operation, in order: the delete of a missing id takes one too.
        Assert.Equal([0L, 1L, 2L, 3L], items.Select(i => (long)i!.AsObject().Single().Value!["_seq_no"]!));
        var doc1 = await engine.GetAsync("/test/_doc/1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"field1":"value1","field2":"value2"}"""), doc1.Json["_source"]));
    }

    [Fact]
    public async Task Bulk_FailingItems_AreReportedAndTheRestApplied()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/index1", """{"mappings":{"properties":{"n":{"type":"long"}}}}""");

        var response = await engine.BulkAsync("/index1/_bulk", """
            {"update":{"_id":"5"}}
            {"doc":{"n":1}}
            {"index":{"_id":"6"}}
            {"n":"six"}
            {"index":{"_id":"7"}}
            {"n":7}

            """.ReplaceLineEndings("\n"));

        Assert.True((bool)response.Json["errors"]!);
        var items = response.Json["items"]!.AsArray();
        var first = new JsonObject { ["took"] = 1, ["errors"] = true, ["items"] = new JsonArray(items[0]!.DeepClone()) };
        Shape.AssertMatches("bulk-errors", first);
        Assert.Equal("[5]: document missing", (string?)items[0]!["update"]!["error"]!["reason"]);
        Assert.Equal(400, (int)items[1]!["index"]!["status"]!);
        Assert.Equal("document_parsing_exception", (string?)items[1]!["index"]!["error"]!["type"]);
        Assert.Equal(201, (int)items[2]!["index"]!["status"]!);
        Assert.True((bool)(await engine.GetAsync("/index1/_doc/7")).Json["found"]!);
        Assert.False((bool)(await engine.GetAsync("/index1/_doc/6")).Json["found"]!);
    }

    [Theory]
    // Elasticsearch's BulkRequestParser parses the update body, then sets the action line's _source (or else the
    // URL's) over the body's.
    [InlineData("/books/_bulk", "", ""","_source":true""", true)]
    [InlineData("/books/_bulk", ""","_source":false""", ""","_source":true""", false)]
    [InlineData("/books/_bulk", ""","_source":true""", ""","_source":false""", true)]
    [InlineData("/books/_bulk?_source=false", "", ""","_source":true""", false)]
    [InlineData("/books/_bulk?_source=true", "", ""","_source":false""", true)]
    [InlineData("/books/_bulk?_source=false", ""","_source":true""", "", true)]
    public async Task Bulk_UpdateSourceFromActionLineUrlAndBody_ActionLineThenUrlThenBody(string path, string action, string body, bool returnsGet)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.BulkAsync(path, "{\"update\":{\"_id\":\"1\"" + action + "}}\n{\"doc\":{\"year\":1965}" + body + "}\n");

        var item = response.Json["items"]![0]!["update"]!;
        Assert.Equal(200, (int)item["status"]!);
        if (returnsGet)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":"Dune","year":1965}"""), item["get"]!["_source"]));
        }
        else
        {
            Assert.Null(item["get"]);
        }
    }

    [Fact]
    public async Task Bulk_MalformedActionLine_RejectsTheWholeRequest()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.BulkAsync("/_bulk", "{\"index\":{\"_index\":\"t\",\"_id\":\"1\"}}\n{\"x\":1}\n{\"upsert\":{}}\n{}\n");
        var got = await engine.GetAsync("/t/_doc/1");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal(404, got.StatusCode);
    }

    [Fact]
    public async Task Bulk_WithoutContentType_Is406()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.SendAsync("POST", "/_bulk", "{\"index\":{\"_index\":\"t\"}}\n{}\n", "text/plain");

        Assert.Equal(406, response.StatusCode);
        Assert.Equal("Content-Type header [text/plain] is not supported", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task Bulk_Acknowledged_SurvivesARestart()
    {
        using var data = new Rerank.TestUtilities.TempDirectory();
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i => $"{{\"index\":{{\"_index\":\"docs\",\"_id\":\"{i}\"}}}}\n{{\"n\":{i}}}\n"));
        await using (var engine = await EngineServer.StartAsync(data))
        {
            var response = await engine.BulkAsync("/_bulk", lines);
            Assert.False((bool)response.Json["errors"]!);
        }

        await using var restarted = await EngineServer.StartAsync(data);
        var count = await restarted.GetAsync("/docs/_count");
        var last = await restarted.GetAsync("/docs/_doc/199");

        Assert.Equal(200, (long)count.Json["count"]!);
        Assert.Equal(199, (long)last.Json["_source"]!["n"]!);
        Assert.Equal(199, (long)last.Json["_seq_no"]!);
    }

    [Fact]
    public async Task Bulk_RefreshTrue_MakesItemsSearchable()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/t", """{"settings":{"refresh_interval":"-1"}}""");

        await engine.BulkAsync("/t/_bulk?refresh=true", "{\"index\":{}}\n{\"a\":1}\n{\"index\":{}}\n{\"a\":2}\n");
        var count = await engine.GetAsync("/t/_count");

        Assert.Equal(2, (long)count.Json["count"]!);
    }
}
