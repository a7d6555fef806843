using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>Document APIs over real HTTP: versions, sequence numbers, conditional writes and every answer's shape.</summary>
public sealed class DocumentApiContractTests
{
    [Fact]
    public async Task IndexThenGet_FirstVersionAndSequenceNumber()
    {
        await using var engine = await EngineServer.StartAsync();

        var indexed = await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");
        var got = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(201, indexed.StatusCode);
        Shape.AssertMatches("index-doc", indexed.Json);
        Assert.Equal("created", (string?)indexed.Json["result"]);
        Assert.Equal(1, (long)indexed.Json["_version"]!);
        Assert.Equal(0, (long)indexed.Json["_seq_no"]!);
        Assert.Equal(1, (long)indexed.Json["_primary_term"]!);
        Assert.Equal(200, got.StatusCode);
        Shape.AssertMatches("get-doc", got.Json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":"Dune"}"""), got.Json["_source"]));
    }

    [Fact]
    public async Task IndexTwice_UpdatesWithTheNextVersionAndSequenceNumber()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");
        await engine.PutAsync("/books/_doc/2", """{"title":"Emma"}""");

        var again = await engine.PutAsync("/books/_doc/1", """{"title":"Dune Messiah"}""");

        Assert.Equal(200, again.StatusCode);
        Assert.Equal("updated", (string?)again.Json["result"]);
        Assert.Equal(2, (long)again.Json["_version"]!);
        Assert.Equal(2, (long)again.Json["_seq_no"]!);
    }

    [Fact]
    public async Task PostWithoutId_GeneratesATwentyCharacterId()
    {
        await using var engine = await EngineServer.StartAsync();

        var indexed = await engine.PostAsync("/books/_doc", """{"title":"Dune"}""");
        var id = (string)indexed.Json["_id"]!;
        var got = await engine.GetAsync($"/books/_doc/{Uri.EscapeDataString(id)}");

        Assert.Equal(201, indexed.StatusCode);
        Assert.Equal(20, id.Length);
        Assert.True((bool)got.Json["found"]!);
    }

    [Fact]
    public async Task Get_BeforeAnyRefresh_SeesTheWrite()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"refresh_interval":"-1"}}""");

        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");
        var got = await engine.GetAsync("/books/_doc/1");
        var count = await engine.GetAsync("/books/_count");

        Assert.True((bool)got.Json["found"]!);
        Assert.Equal(0, (long)count.Json["count"]!);
    }

    [Fact]
    public async Task Get_Missing_Is404WithFoundFalse()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var got = await engine.GetAsync("/books/_doc/2");

        Assert.Equal(404, got.StatusCode);
        Shape.AssertMatches("get-doc-missing", got.Json);
        Assert.False((bool)got.Json["found"]!);
    }

    [Fact]
    public async Task Get_SourceFiltering_KeepsTheAskedFields()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune","author":{"name":"Herbert","born":1920}}""");

        var included = await engine.GetAsync("/books/_doc/1?_source_includes=author.name");
        var none = await engine.GetAsync("/books/_doc/1?_source=false");
        var source = await engine.GetAsync("/books/_source/1?_source_excludes=author");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"author":{"name":"Herbert"}}"""), included.Json["_source"]));
        Assert.False(none.Object.ContainsKey("_source"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":"Dune"}"""), source.Json));
    }

    [Fact]
    public async Task Create_ExistingId_IsVersionConflictInElasticsearchShape()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_create/1", """{"title":"Dune"}""");

        var again = await engine.PutAsync("/books/_create/1", """{"title":"Dune"}""");

        Assert.Equal(409, again.StatusCode);
        Shape.AssertMatches("error-version-conflict", again.Json);
        Assert.Equal("[1]: version conflict, document already exists (current version [1])", (string?)again.Json["error"]!["reason"]);
        Assert.Equal("books", (string?)again.Json["error"]!["index"]);
    }

    [Fact]
    public async Task OpTypeCreate_OnDocPath_BehavesLikeCreate()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var again = await engine.PutAsync("/books/_doc/1?op_type=create", """{"title":"Dune"}""");

        Assert.Equal(409, again.StatusCode);
    }

    [Fact]
    public async Task IfSeqNo_MatchingSucceeds_StaleIsConflict()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var matching = await engine.PutAsync("/books/_doc/1?if_seq_no=0&if_primary_term=1", """{"title":"Dune 2"}""");
        var stale = await engine.PutAsync("/books/_doc/1?if_seq_no=0&if_primary_term=1", """{"title":"Dune 3"}""");
        var current = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(200, matching.StatusCode);
        Assert.Equal(1, (long)matching.Json["_seq_no"]!);
        Assert.Equal(409, stale.StatusCode);
        Assert.Equal(
            "[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]",
            (string?)stale.Json["error"]!["reason"]);
        Assert.Equal("Dune 2", (string?)current.Json["_source"]!["title"]);
    }

    [Fact]
    public async Task IfSeqNo_WithoutPrimaryTerm_IsAValidationError()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1?if_seq_no=0", """{"title":"Dune"}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("action_request_validation_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("Validation Failed: 1: ifSeqNo is set, but primary term is [0];", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task Delete_ExistingThenMissing_DeletedThenNotFound()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var deleted = await engine.DeleteAsync("/books/_doc/1");
        var again = await engine.DeleteAsync("/books/_doc/1");
        var got = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(200, deleted.StatusCode);
        Shape.AssertMatches("delete-doc", deleted.Json);
        Assert.Equal("deleted", (string?)deleted.Json["result"]);
        Assert.Equal(2, (long)deleted.Json["_version"]!);
        Assert.Equal(404, again.StatusCode);
        Assert.Equal("not_found", (string?)again.Json["result"]);
        Assert.False((bool)got.Json["found"]!);
    }

    [Fact]
    public async Task Update_PartialDoc_MergesAndANoChangeUpdateIsNoop()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune","meta":{"pages":412}}""");

        var updated = await engine.PostAsync("/books/_update/1", """{"doc":{"meta":{"year":1965}}}""");
        var noop = await engine.PostAsync("/books/_update/1", """{"doc":{"title":"Dune"}}""");
        var got = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(200, updated.StatusCode);
        Assert.Equal("updated", (string?)updated.Json["result"]);
        Assert.Equal(2, (long)updated.Json["_version"]!);
        Shape.AssertMatches("update-doc", noop.Json);
        Assert.Equal("noop", (string?)noop.Json["result"]);
        Assert.Equal(2, (long)noop.Json["_version"]!);
        Assert.Equal(0, (int)noop.Json["_shards"]!["total"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":"Dune","meta":{"pages":412,"year":1965}}"""), got.Json["_source"]));
    }

    [Fact]
    public async Task Update_Missing_IsDocumentMissing_UnlessDocAsUpsert()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books");

        var missing = await engine.PostAsync("/books/_update/7", """{"doc":{"title":"Emma"}}""");
        var upserted = await engine.PostAsync("/books/_update/7", """{"doc":{"title":"Emma"},"doc_as_upsert":true}""");

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("document_missing_exception", (string?)missing.Json["error"]!["type"]);
        Assert.Equal("[7]: document missing", (string?)missing.Json["error"]!["reason"]);
        Assert.Equal(201, upserted.StatusCode);
        Assert.Equal("created", (string?)upserted.Json["result"]);
    }

    [Fact]
    public async Task Update_UnknownBodyField_IsParseError()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.PostAsync("/books/_update/1", """{"doc":{"title":"x"},"colour":"red"}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("[UpdateRequest] unknown field [colour]", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task MultiGet_DocsAndIds_AnswerInOrder()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var docs = await engine.PostAsync("/_mget", """{"docs":[{"_index":"books","_id":"1"},{"_index":"books","_id":"2"}]}""");
        var ids = await engine.PostAsync("/books/_mget", """{"ids":["2","1"]}""");
        var missingIndex = await engine.PostAsync("/_mget", """{"docs":[{"_index":"nope","_id":"1"}]}""");

        Shape.AssertMatches("mget", docs.Json);
        Assert.Equal([false, true], ids.Json["docs"]!.AsArray().Select(d => (bool)d!["found"]!));
        Assert.Equal("index_not_found_exception", (string?)missingIndex.Json["docs"]![0]!["error"]!["type"]);
    }

    [Fact]
    public async Task Refresh_True_IsInTheAnswerAndMakesTheWriteSearchable()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"refresh_interval":"-1"}}""");

        var indexed = await engine.PutAsync("/books/_doc/1?refresh=true", """{"title":"Dune"}""");
        var count = await engine.GetAsync("/books/_count");

        Shape.AssertMatches("index-doc-refresh", indexed.Json);
        Assert.True((bool)indexed.Json["forced_refresh"]!);
        Assert.Equal(1, (long)count.Json["count"]!);
    }

    [Fact]
    public async Task Refresh_WaitFor_AnswersOnceSearchable()
    {
        await using var engine = await EngineServer.StartAsync();

        await engine.PutAsync("/books/_doc/1?refresh=wait_for", """{"title":"Dune"}""");
        var count = await engine.GetAsync("/books/_count");

        Assert.Equal(1, (long)count.Json["count"]!);
    }

    [Fact]
    public async Task BadFieldValue_IsDocumentParsingException_AndNothingIsWritten()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"mappings":{"properties":{"year":{"type":"integer"}}}}""");

        var response = await engine.PutAsync("/books/_doc/1", """{"year":"nineteen"}""");
        var got = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("document_parsing_exception", (string?)response.Json["error"]!["type"]);
        Assert.Contains("failed to parse field [year] of type [integer]", (string?)response.Json["error"]!["reason"]);
        // As Elasticsearch writes it: the cause under the error, none under its root cause.
        Assert.Equal("number_format_exception", (string?)response.Json["error"]!["caused_by"]!["type"]);
        Assert.False(response.Json["error"]!["root_cause"]![0]!.AsObject().ContainsKey("caused_by"));
        Assert.False((bool)got.Json["found"]!);
    }

    [Fact]
    public async Task MalformedJson_IsXContentParseException()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PutAsync("/books/_doc/1", """{"title": "Dune",""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
        Assert.StartsWith("[1:", (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task Get_StoredFieldsNone_LeavesTheSourceOut_AndRefreshMakesTheWriteSearchable()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books", """{"settings":{"refresh_interval":"-1"}}""");
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var got = await engine.GetAsync("/books/_doc/1?stored_fields=_none_&refresh=true");
        var count = await engine.GetAsync("/books/_count");

        Assert.True((bool)got.Json["found"]!);
        Assert.False(got.Object.ContainsKey("_source"));
        Assert.Equal(1, (long)count.Json["count"]!);
    }
}
