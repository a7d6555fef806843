using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>Index APIs over real HTTP, against Elasticsearch's recorded response shapes and documented values.</summary>
public sealed class IndexApiContractTests
{
    private const string Mappings = """
        {"mappings":{"_meta":{"rerank":"on"},"properties":{"title":{"type":"text"},"body":{"type":"text"}}}}
        """;

    [Fact]
    public async Task CreateIndex_ThenGetMapping_ReturnsTheMappingAndMeta()
    {
        await using var engine = await EngineServer.StartAsync();

        var created = await engine.PutAsync("/books", Mappings);
        var mapping = await engine.GetAsync("/books/_mapping");

        Assert.Equal(200, created.StatusCode);
        Shape.AssertMatches("create-index", created.Json);
        Assert.Equal("books", (string?)created.Json["index"]);
        Assert.Equal(200, mapping.StatusCode);
        Shape.AssertMatches("get-mapping", mapping.Json);
        Assert.Equal("on", (string?)mapping.Json["books"]!["mappings"]!["_meta"]!["rerank"]);
        Assert.Equal("text", (string?)mapping.Json["books"]!["mappings"]!["properties"]!["body"]!["type"]);
    }

    [Fact]
    public async Task CreateIndex_Twice_IsResourceAlreadyExists()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var again = await engine.PutAsync("/books");

        Assert.Equal(400, again.StatusCode);
        Assert.Equal("resource_already_exists_exception", (string?)again.Json["error"]!["type"]);
        Assert.Equal("books", (string?)again.Json["error"]!["index"]);
    }

    [Fact]
    public async Task HeadIndex_ExistingAndMissing_Are200And404WithoutBody()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var existing = await engine.SendAsync("HEAD", "/books");
        var missing = await engine.SendAsync("HEAD", "/nothing");

        Assert.Equal(200, existing.StatusCode);
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("", missing.Text);
    }

    [Fact]
    public async Task DeleteIndex_RemovesIt_AndAMissingIndexIs404()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var deleted = await engine.DeleteAsync("/books");
        var after = await engine.GetAsync("/books/_mapping");

        Assert.Equal(200, deleted.StatusCode);
        Shape.AssertMatches("acknowledged", deleted.Json);
        Assert.Equal(404, after.StatusCode);
        Assert.Equal("index_not_found_exception", (string?)after.Json["error"]!["type"]);
    }

    [Fact]
    public async Task DeleteIndex_Wildcard_IsRefusedAsInElasticsearch8()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var refused = await engine.DeleteAsync("/boo*");
        var still = await engine.SendAsync("HEAD", "/books");

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("Wildcard expressions or all indices are not allowed", (string?)refused.Json["error"]!["reason"]);
        Assert.Equal(200, still.StatusCode);
    }

    [Fact]
    public async Task MissingIndex_ErrorBody_MatchesElasticsearch()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.GetAsync("/missing/_mapping");

        Assert.Equal(404, response.StatusCode);
        Shape.AssertMatches("error-index-not-found", response.Json);
        Assert.True(JsonNode.DeepEquals(Shape.Recorded("error-index-not-found"), response.Json), response.Text);
    }

    [Fact]
    public async Task PutMapping_AddsAFieldAndReplacesMeta()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", Mappings);

        var put = await engine.PutAsync("/books/_mapping", """{"_meta":{"rerank":"off"},"properties":{"year":{"type":"integer"}}}""");
        var mapping = (await engine.GetAsync("/books/_mapping")).Json["books"]!["mappings"]!;

        Assert.Equal(200, put.StatusCode);
        Shape.AssertMatches("acknowledged", put.Json);
        Assert.Equal("off", (string?)mapping["_meta"]!["rerank"]);
        Assert.Equal("integer", (string?)mapping["properties"]!["year"]!["type"]);
        Assert.Equal("text", (string?)mapping["properties"]!["title"]!["type"]);
    }

    [Fact]
    public async Task PutMapping_ChangingAFieldType_IsIllegalArgument()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", Mappings);

        var put = await engine.PutAsync("/books/_mapping", """{"properties":{"title":{"type":"keyword"}}}""");

        Assert.Equal(400, put.StatusCode);
        Assert.Equal("illegal_argument_exception", (string?)put.Json["error"]!["type"]);
        Assert.Equal("mapper [title] cannot be changed from type [text] to [keyword]", (string?)put.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task GetIndex_ReturnsAliasesMappingsAndSettings()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"title":{"type":"text"}}}}""");

        var index = (await engine.GetAsync("/books")).Json["books"]!;

        Assert.Equal(new JsonObject(), index["aliases"], JsonNode.DeepEquals);
        Assert.Equal("text", (string?)index["mappings"]!["properties"]!["title"]!["type"]);
        Assert.Equal("1", (string?)index["settings"]!["index"]!["number_of_shards"]);
        Assert.Equal("0", (string?)index["settings"]!["index"]!["number_of_replicas"]);
    }

    [Fact]
    public async Task Refresh_CountsShardCopiesAsASingleNodeDoes()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var refresh = await engine.PostAsync("/books/_refresh");

        // One primary and one (unassignable) replica by default: total 2, successful 1.
        Shape.AssertMatches("refresh", refresh.Json);
        Assert.Equal(2, (int)refresh.Json["_shards"]!["total"]!);
        Assert.Equal(1, (int)refresh.Json["_shards"]!["successful"]!);
    }

    [Fact]
    public async Task CatIndices_Json_ListsEachIndexWithStringValues()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");
        await engine.PutAsync("/books/_doc/1?refresh=true", """{"title":"a"}""");
        await engine.PutAsync("/films", """{"settings":{"number_of_replicas":0}}""");

        var cat = await engine.GetAsync("/_cat/indices?format=json");

        Shape.AssertMatches("cat-indices", cat.Json);
        var rows = cat.Json.AsArray().Select(r => r!.AsObject()).OrderBy(r => (string?)r["index"]).ToList();
        Assert.Equal(["books", "films"], rows.Select(r => (string?)r["index"]));
        Assert.Equal(["yellow", "green"], rows.Select(r => (string?)r["health"]));
        Assert.Equal(["1", "0"], rows.Select(r => (string?)r["docs.count"]));
    }

    [Fact]
    public async Task CatIndices_Text_HasHeadersWithV()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"number_of_replicas":0}}""");

        var cat = await engine.GetAsync("/_cat/indices?v&h=health,index,docs.count");

        Assert.StartsWith("text/plain", cat.ContentHeaders.ContentType!.ToString());
        var lines = cat.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("health index docs.count", lines[0]);
        Assert.Equal("green  books          0", lines[1]);
    }

    [Fact]
    public async Task ClusterHealth_SingleNodeWithReplicas_IsYellow()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var health = await engine.GetAsync("/_cluster/health");

        Shape.AssertMatches("cluster-health", health.Json);
        Assert.Equal("yellow", (string?)health.Json["status"]);
        Assert.Equal(1, (int)health.Json["unassigned_shards"]!);
        Assert.Equal(50.0, (double)health.Json["active_shards_percent_as_number"]!);
    }

    [Fact]
    public async Task Root_AnswersLikeAnElasticsearchNode_WithTheProductHeader()
    {
        await using var engine = await EngineServer.StartAsync();

        var root = await engine.GetAsync("/");

        Shape.AssertMatches("root", root.Json);
        Assert.StartsWith("8.", (string?)root.Json["version"]!["number"]);
        Assert.Equal("Elasticsearch", root.Headers.GetValues("X-elastic-product").Single());
    }

    [Fact]
    public async Task ForceMerge_AfterSeveralBulks_KeepsEveryDocumentAndItsOrder()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"number_of_replicas":0},"mappings":{"properties":{"title":{"type":"text"}}}}""");
        for (var batch = 0; batch < 3; batch++)
        {
            await engine.BulkAsync("/books/_bulk", $"{{\"index\":{{\"_id\":\"{batch}\"}}}}\n{{\"title\":\"same words\"}}\n");
        }

        var merged = await engine.PostAsync("/books/_forcemerge?max_num_segments=1");
        var search = await engine.PostAsync("/books/_search", """{"query":{"match":{"title":"words"}}}""");

        Assert.Equal(200, merged.StatusCode);
        Assert.Equal(1, (int)merged.Json["_shards"]!["total"]!);
        // Equal scores rank by insertion order before and after the merge (log merges keep doc ids in order).
        Assert.Equal(["0", "1", "2"], search.Json["hits"]!["hits"]!.AsArray().Select(h => (string?)h!["_id"]));
    }

    [Fact]
    public async Task ForceMerge_MaxSegmentsWithExpungeDeletes_IsAValidationError()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var response = await engine.PostAsync("/books/_forcemerge?max_num_segments=1&only_expunge_deletes=true");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            "Validation Failed: 1: cannot set only_expunge_deletes and max_num_segments at the same time, those two parameters are mutually exclusive;",
            (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task DeleteIndex_IgnoreUnavailable_DeletesTheExistingNames()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var missing = await engine.DeleteAsync("/books,nope");
        var ignored = await engine.DeleteAsync("/books,nope?ignore_unavailable=true");
        var after = await engine.SendAsync("HEAD", "/books");

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(200, ignored.StatusCode);
        Assert.Equal(404, after.StatusCode);
    }

    [Fact]
    public async Task GetIndex_FlatSettings_FlattensTheSettingsKeys()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"number_of_shards":1}}""");

        var index = (await engine.GetAsync("/books?flat_settings=true")).Json["books"]!;

        Assert.Equal("1", (string?)index["settings"]!["index.number_of_shards"]);
    }
}
