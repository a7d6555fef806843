using System.Text.Json.Nodes;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>The alias APIs over real HTTP, with Elasticsearch's documented response shapes and error messages.</summary>
public sealed class AliasApiTests
{
    [Fact]
    public async Task PutAlias_ThenWriteAndSearchThroughIt_ReachTheIndex()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books-v1");

        var put = await engine.PutAsync("/books-v1/_alias/books");
        var written = await engine.PutAsync("/books/_doc/1?refresh=true", """{"title": "dune"}""");
        var search = await engine.GetAsync("/books/_search");
        var get = await engine.GetAsync("/_alias/books");

        Assert.Equal((200, "{\"acknowledged\":true}"), (put.StatusCode, put.Text));
        Assert.Equal(201, written.StatusCode);
        Assert.Equal("books-v1", (string?)written.Json["_index"]);
        Assert.Equal("books-v1", (string?)search.Json["hits"]!["hits"]![0]!["_index"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"books-v1": {"aliases": {"books": {}}}}"""), get.Json));
    }

    [Fact]
    public async Task PostAliases_SwapThenRestart_KeepsTheNewTarget()
    {
        using var data = new TempDirectory();
        await using (var engine = await EngineServer.StartAsync(data))
        {
            await engine.PutAsync("/v1", """{"aliases": {"current": {}}}""");
            await engine.PutAsync("/v2");
            await engine.PutAsync("/v2/_doc/a?refresh=true", """{"n": 2}""");

            var swap = await engine.PostAsync("/_aliases", """
                {"actions": [{"remove": {"index": "v1", "alias": "current"}}, {"add": {"index": "v2", "alias": "current", "is_write_index": true}}]}
                """);

            Assert.Equal(200, swap.StatusCode);
            Assert.True((bool)swap.Json["acknowledged"]!);
        }

        await using var restarted = await EngineServer.StartAsync(data);
        var all = await restarted.GetAsync("/_alias");
        var count = await restarted.GetAsync("/current/_count");
        var index = await restarted.GetAsync("/v2");

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"v1": {"aliases": {}}, "v2": {"aliases": {"current": {"is_write_index": true}}}}"""), all.Json));
        Assert.Equal(1, (long)count.Json["count"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"current": {"is_write_index": true}}"""), index.Json["v2"]!["aliases"]));
    }

    [Fact]
    public async Task FilteredAlias_SearchAndCount_SeeOnlyMatchingDocuments()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/items", """{"mappings": {"properties": {"tag": {"type": "keyword"}, "name": {"type": "text"}}}}""");
        await engine.BulkAsync("/items/_bulk?refresh=true", """
            {"index": {"_id": "1"}}
            {"tag": "red", "name": "apple"}
            {"index": {"_id": "2"}}
            {"tag": "green", "name": "apple"}
            {"index": {"_id": "3"}}
            {"tag": "red", "name": "cherry"}

            """);
        await engine.PutAsync("/items/_alias/red", """{"filter": {"term": {"tag": "red"}}}""");

        var apples = await engine.PostAsync("/red/_search", """{"query": {"match": {"name": "apple"}}}""");
        var count = await engine.GetAsync("/red/_count");
        var direct = await engine.GetAsync("/red,items/_count");

        Assert.Equal(["1"], apples.Json["hits"]!["hits"]!.AsArray().Select(h => (string?)h!["_id"]));
        Assert.Equal(2, (long)count.Json["count"]!);
        Assert.Equal(3, (long)direct.Json["count"]!);
    }

    [Fact]
    public async Task WriteThroughAliasOfTwoIndices_WithoutWriteIndex_IsElasticsearchsError()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a");
        await engine.PutAsync("/b");
        await engine.PostAsync("/_aliases", """{"actions": [{"add": {"indices": ["a", "b"], "alias": "both"}}]}""");

        var write = await engine.PutAsync("/both/_doc/1", """{"n": 1}""");
        var bulk = await engine.BulkAsync("/_bulk", "{\"index\": {\"_index\": \"both\", \"_id\": \"1\"}}\n{\"n\": 1}\n");
        await engine.PutAsync("/b/_alias/both", """{"is_write_index": true}""");
        var routed = await engine.PutAsync("/both/_doc/1", """{"n": 1}""");

        const string Reason = "no write index is defined for alias [both]. The write index may be explicitly disabled using is_write_index=false or the "
            + "alias points to multiple indices without one being designated as a write index";
        Assert.Equal(400, write.StatusCode);
        Assert.Equal(("illegal_argument_exception", Reason), ((string?)write.Json["error"]!["type"], (string?)write.Json["error"]!["reason"]));
        Assert.Equal(Reason, (string?)bulk.Json["items"]![0]!["index"]!["error"]!["reason"]);
        Assert.Equal("b", (string?)routed.Json["_index"]);
    }

    [Fact]
    public async Task GetAndHeadAlias_Missing_Are404WithElasticsearchsBody()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a", """{"aliases": {"x": {}}}""");

        var missing = await engine.GetAsync("/_alias/nope");
        var some = await engine.GetAsync("/_alias/x,nope");
        var head = await engine.SendAsync("HEAD", "/_alias/x");
        var headMissing = await engine.SendAsync("HEAD", "/_alias/nope");

        Assert.Equal(404, missing.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error": "alias [nope] missing", "status": 404}"""), missing.Json));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": {"aliases": {"x": {}}}, "error": "alias [nope] missing", "status": 404}"""), some.Json));
        Assert.Equal((200, 404), (head.StatusCode, headMissing.StatusCode));
    }

    [Fact]
    public async Task DeleteAlias_RemovesIt_AndAMissingAliasIs404()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a", """{"aliases": {"x": {}, "y": {}}}""");

        var deleted = await engine.DeleteAsync("/a/_alias/x");
        var again = await engine.DeleteAsync("/a/_alias/x");
        var left = await engine.GetAsync("/a/_alias");

        Assert.Equal(200, deleted.StatusCode);
        Assert.Equal(404, again.StatusCode);
        Assert.Equal(("aliases_not_found_exception", "aliases [x] missing"), ((string?)again.Json["error"]!["type"], (string?)again.Json["error"]!["reason"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": {"aliases": {"y": {}}}}"""), left.Json));
    }

    [Fact]
    public async Task AliasNamedLikeAnIndex_AndIndexNamedLikeAnAlias_AreRefused()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a", """{"aliases": {"x": {}}}""");
        await engine.PutAsync("/b");

        var alias = await engine.PutAsync("/a/_alias/b");
        var index = await engine.PutAsync("/x");

        Assert.Equal(400, alias.StatusCode);
        Assert.Equal(
            ("invalid_alias_name_exception", "Invalid alias name [b]: an index or data stream exists with the same name as the alias"),
            ((string?)alias.Json["error"]!["type"], (string?)alias.Json["error"]!["reason"]));
        Assert.Equal(400, index.StatusCode);
        Assert.Equal(
            ("invalid_index_name_exception", "Invalid index name [x], already exists as alias"),
            ((string?)index.Json["error"]!["type"], (string?)index.Json["error"]!["reason"]));
    }

    [Fact]
    public async Task PostAliases_RoutingOrNoActions_AreRefused()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a");

        var routing = await engine.PostAsync("/_aliases", """{"actions": [{"add": {"index": "a", "alias": "r", "routing": "1"}}]}""");
        var none = await engine.PostAsync("/_aliases", """{"actions": []}""");
        var noAlias = await engine.PostAsync("/_aliases", """{"actions": [{"add": {"index": "a"}}]}""");

        Assert.Equal((400, "alias [routing] is not supported by the embedded engine"), (routing.StatusCode, (string?)routing.Json["error"]!["reason"]));
        Assert.Equal((400, "Validation Failed: 1: Must specify at least one alias action;"), (none.StatusCode, (string?)none.Json["error"]!["reason"]));
        Assert.Equal((400, "One of [alias] or [aliases] is required"), (noAlias.StatusCode, (string?)noAlias.Json["error"]!["reason"]));
    }

    [Fact]
    public async Task CatAliases_ListsEachAliasAndIndex_InElasticsearchsColumns()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a", """{"aliases": {"x": {"is_write_index": true}, "y": {"filter": {"term": {"k": "v"}}}}}""");

        var text = await engine.GetAsync("/_cat/aliases?v");
        var json = await engine.GetAsync("/_cat/aliases/y?format=json");

        Assert.Equal(
            "alias index filter routing.index routing.search is_write_index\n"
            + "x     a     -      -             -              true          \n"
            + "y     a     *      -             -              -             \n",
            text.Text);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"alias": "y", "index": "a", "filter": "*", "routing.index": "-", "routing.search": "-", "is_write_index": "-"}]"""),
            json.Json));
    }

    [Fact]
    public async Task GetById_ThroughAliasOfOneIndexReads_ThroughAliasOfTwoIsRefused()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/a", """{"aliases": {"one": {}, "both": {"is_write_index": true}}}""");
        await engine.PutAsync("/b", """{"aliases": {"both": {}}}""");
        await engine.PutAsync("/a/_doc/1", """{"n": 1}""");

        var viaOne = await engine.GetAsync("/one/_doc/1");
        var viaBoth = await engine.GetAsync("/both/_doc/1");
        var mget = await engine.PostAsync("/_mget", """{"docs": [{"_index": "one", "_id": "1"}, {"_index": "both", "_id": "1"}]}""");

        Assert.Equal((200, "a"), (viaOne.StatusCode, (string?)viaOne.Json["_index"]));
        Assert.Equal(400, viaBoth.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)viaBoth.Json["error"]!["type"]);
        Assert.Equal("alias [both] has more than one index associated with it [a, b], can't execute a single index op", (string?)viaBoth.Json["error"]!["reason"]);
        var docs = mget.Json["docs"]!.AsArray();
        Assert.Equal(("a", true), ((string?)docs[0]!["_index"], (bool)docs[0]!["found"]!));
        Assert.Equal("illegal_argument_exception", (string?)docs[1]!["error"]!["type"]);
    }

    [Fact]
    public async Task DeleteIndex_NamingAnAlias_IsRefusedAndTheIndexStays()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books-v1", """{"aliases": {"books": {}}}""");

        var deleted = await engine.DeleteAsync("/books");
        var stays = await engine.SendAsync("HEAD", "/books-v1");

        Assert.Equal(400, deleted.StatusCode);
        Assert.Equal("The provided expression [books] matches an alias, specify the corresponding concrete indices instead.", (string?)deleted.Json["error"]!["reason"]);
        Assert.Equal(200, stays.StatusCode);
    }

    [Fact]
    public async Task Knn_ThroughFilteredAlias_TheFilterPreFiltersTheCandidates()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/vectors", """
            {"mappings": {"properties": {"tag": {"type": "keyword"}, "v": {"type": "dense_vector", "dims": 2, "similarity": "l2_norm"}}},
             "aliases": {"blue": {"filter": {"term": {"tag": "blue"}}}}}
            """);
        // The two nearest vectors to [0, 0] are red; the blue ones lie further out.
        await engine.BulkAsync("/vectors/_bulk?refresh=true", """
            {"index": {"_id": "r1"}}
            {"tag": "red", "v": [0.1, 0]}
            {"index": {"_id": "r2"}}
            {"tag": "red", "v": [0.2, 0]}
            {"index": {"_id": "b1"}}
            {"tag": "blue", "v": [1, 0]}
            {"index": {"_id": "b2"}}
            {"tag": "blue", "v": [2, 0]}
            {"index": {"_id": "b3"}}
            {"tag": "blue", "v": [3, 0]}

            """);

        var response = await engine.PostAsync("/blue/_search", """{"knn": {"field": "v", "query_vector": [0, 0], "k": 2, "num_candidates": 2}, "_source": false}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["b1", "b2"], response.Json["hits"]!["hits"]!.AsArray().Select(h => (string?)h!["_id"]));
    }
}
