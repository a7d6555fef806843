using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>What every request meets first: routing, methods, media types, parameters, limits and output options.</summary>
public sealed class RoutingContractTests
{
    [Fact]
    public async Task UnknownPath_IsNoHandlerFound()
    {
        await using var engine = await EngineServer.StartAsync();

        // A path no route fits (one segment would be an index name, as in Elasticsearch).
        var response = await engine.GetAsync("/books/_nope");

        Assert.Equal(400, response.StatusCode);
        Shape.AssertMatches("error-plain", response.Json);
        Assert.Equal("no handler found for uri [/books/_nope] and method [GET]", (string?)response.Json["error"]);
    }

    [Fact]
    public async Task WrongMethod_Is405NamingTheAllowedOnes()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.SendAsync("DELETE", "/_search");

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("Incorrect HTTP method for uri [/_search] and method [DELETE], allowed: [GET, POST]", (string?)response.Json["error"]);
    }

    [Fact]
    public async Task UnknownParameter_IsRefusedBeforeAnythingIsWritten()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1?colour=red", """{"a":1}""");
        var exists = await engine.SendAsync("HEAD", "/books");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("request [/books/_doc/1] contains unrecognized parameter: [colour]", (string?)response.Json["error"]!["reason"]);
        Assert.Equal(404, exists.StatusCode);
    }

    [Fact]
    public async Task UnknownSearchParameter_IsRefused_InElasticsearchShape()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.GetAsync("/_search?foo=1");

        Assert.Equal(400, response.StatusCode);
        Shape.AssertMatches("error-simple", response.Json);
        Assert.Equal("request [/_search] contains unrecognized parameter: [foo]", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task BadBoolean_IsIllegalArgument()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.GetAsync("/_cat/indices?v=yes");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Failed to parse value [yes] as only [true] or [false] are allowed.", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task FilterPathAndPretty_ApplyToAnyAnswer()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.GetAsync("/books/_doc/1?filter_path=_id,_source.title&pretty");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"_id":"1","_source":{"title":"Dune"}}"""), response.Json));
        Assert.Contains("\n  \"_id\": \"1\"", response.Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task EncodedSlashInId_StaysOneSegment()
    {
        await using var engine = await EngineServer.StartAsync();

        var put = await engine.PutAsync("/books/_doc/a%2Fb", """{"title":"Dune"}""");
        var got = await engine.GetAsync("/books/_doc/a%2Fb");

        Assert.Equal("a/b", (string?)put.Json["_id"]);
        Assert.True((bool)got.Json["found"]!);
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413WithNoBody()
    {
        await using var engine = await EngineServer.StartAsync(maxContentLength: 1024);

        var response = await engine.PutAsync("/books/_doc/1", "{\"text\":\"" + new string('x', 4096) + "\"}");

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("", response.Text);
    }

    [Fact]
    public async Task CompatibleMediaType_IsEchoed()
    {
        await using var engine = await EngineServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/vnd.elasticsearch+json; compatible-with=8"));

        using var response = await engine.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("application/vnd.elasticsearch+json; compatible-with=8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task GzipRequestBody_IsDecompressed()
    {
        await using var engine = await EngineServer.StartAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync("{\"title\":\"Dune\"}"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Put, "/books/_doc/1") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        using var response = await engine.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var got = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("Dune", (string?)got.Json["_source"]!["title"]);
    }

    [Theory]
    [InlineData("GET", "/_nodes")]
    [InlineData("POST", "/_msearch")]
    [InlineData("GET", "/_tasks")]
    public async Task ApiTheEngineLacks_IsNoHandlerFound_NotAMissingIndex(string method, string path)
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.SendAsync(method, path, method == "POST" ? "{}" : null);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal($"no handler found for uri [{path}] and method [{method}]", (string?)response.Json["error"]);
    }

    [Fact]
    public async Task CreateIndexStartingWithUnderscore_IsInvalidIndexName()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/_books");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("invalid_index_name_exception", (string?)response.Json["error"]!["type"]);
    }

    [Fact]
    public async Task RequireAlias_TargetNotAnAlias_Is404AndCreatesNothing()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1?require_alias=true", """{"a":1}""");
        var exists = await engine.SendAsync("HEAD", "/books");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("index_not_found_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("no such index [books] and [require_alias] request flag is [true] and [books] is not an alias", (string?)response.Json["error"]!["reason"]);
        Assert.Equal(404, exists.StatusCode);
    }

    [Fact]
    public async Task RequireAlias_TargetIsAnAlias_WritesReachItsWriteIndex()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books-v1", """{"aliases": {"books": {}}}""");

        var indexed = await engine.PutAsync("/books/_doc/1?require_alias=true", """{"a":1}""");
        var updated = await engine.PostAsync("/books/_update/1?require_alias=true", """{"doc": {"a": 2}}""");
        var onIndex = await engine.PutAsync("/books-v1/_doc/2?require_alias=true", """{"a":1}""");

        Assert.Equal((201, "books-v1"), (indexed.StatusCode, (string?)indexed.Json["_index"]));
        Assert.Equal((200, "updated"), (updated.StatusCode, (string?)updated.Json["result"]));
        Assert.Equal(404, onIndex.StatusCode);
    }

    [Fact]
    public async Task RequireAlias_InBulk_FailsOnlyTheItemsWhoseTargetIsNotAnAlias()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books-v1", """{"aliases": {"books": {}}}""");

        // The request's flag applies to items that do not set their own; an item's own flag wins.
        var response = await engine.BulkAsync("/_bulk?require_alias=true", """
            {"index": {"_index": "books", "_id": "1"}}
            {"a": 1}
            {"index": {"_index": "other", "_id": "2"}}
            {"a": 2}
            {"index": {"_index": "third", "_id": "3", "require_alias": false}}
            {"a": 3}

            """);
        var items = response.Json["items"]!.AsArray();

        Assert.Equal(200, response.StatusCode);
        Assert.True((bool)response.Json["errors"]!);
        Assert.Equal((201, "books-v1"), ((int)items[0]!["index"]!["status"]!, (string?)items[0]!["index"]!["_index"]));
        Assert.Equal(404, (int)items[1]!["index"]!["status"]!);
        Assert.Equal("no such index [other] and [require_alias] request flag is [true] and [other] is not an alias", (string?)items[1]!["index"]!["error"]!["reason"]);
        Assert.Equal(201, (int)items[2]!["index"]!["status"]!);
        Assert.Equal(404, (await engine.SendAsync("HEAD", "/other")).StatusCode);
    }
}
