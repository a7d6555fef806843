using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>
/// <c>if_seq_no</c> / <c>if_primary_term</c> in the body of an update, as Elasticsearch's <c>UpdateRequest</c> parser
/// declares them: in a <c>_bulk</c> update item's source line and in the <c>_update</c> body. Elasticsearch sets the
/// action line's (or the URL's) values first and then parses the body into the same request, so a body value wins.
/// </summary>
public sealed class UpdateBodyConditionsTests
{
    private const string StaleReason =
        "[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]";

    [Fact]
    public async Task Bulk_UpdateBodyConditions_MatchingAppliesAndStaleIsAConflictItem()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        // seq_no 0 is the first write: the first item matches, and by the second the document is at seq_no 1.
        var response = await engine.BulkAsync("/books/_bulk", """
            {"update":{"_id":"1"}}
            {"doc":{"title":"Dune 2"},"if_seq_no":0,"if_primary_term":1}
            {"update":{"_id":"1"}}
            {"doc":{"title":"Dune 3"},"if_seq_no":0,"if_primary_term":1}

            """.ReplaceLineEndings("\n"));
        var current = await engine.GetAsync("/books/_doc/1");

        Assert.Equal(200, response.StatusCode);
        Assert.True((bool)response.Json["errors"]!);
        var items = response.Json["items"]!.AsArray();
        Assert.Equal(200, (int)items[0]!["update"]!["status"]!);
        Assert.Equal("updated", (string?)items[0]!["update"]!["result"]);
        Assert.Equal(409, (int)items[1]!["update"]!["status"]!);
        Assert.Equal("version_conflict_engine_exception", (string?)items[1]!["update"]!["error"]!["type"]);
        Assert.Equal(StaleReason, (string?)items[1]!["update"]!["error"]!["reason"]);
        Assert.Equal("Dune 2", (string?)current.Json["_source"]!["title"]);
    }

    [Fact]
    public async Task Bulk_BodyConditionsOverTheActionLine_TheBodyWins()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");
        await engine.PutAsync("/books/_doc/2", """{"title":"Emma"}""");

        // Doc 1 is at seq_no 0 and doc 2 at seq_no 1. Item one: a stale action line, a matching body (applies). Item
        // two: a matching action line, a stale body (conflicts).
        var response = await engine.BulkAsync("/books/_bulk", """
            {"update":{"_id":"1","if_seq_no":7,"if_primary_term":1}}
            {"doc":{"title":"Dune 2"},"if_seq_no":0}
            {"update":{"_id":"2","if_seq_no":1,"if_primary_term":1}}
            {"doc":{"title":"Emma 2"},"if_seq_no":5}

            """.ReplaceLineEndings("\n"));

        var items = response.Json["items"]!.AsArray();
        Assert.Equal(200, (int)items[0]!["update"]!["status"]!);
        Assert.Equal(409, (int)items[1]!["update"]!["status"]!);
        Assert.Equal(
            "[2]: version conflict, required seqNo [5], primary term [1]. current document has seqNo [1] and primary term [1]",
            (string?)items[1]!["update"]!["error"]!["reason"]);
        Assert.Equal("Dune 2", (string?)(await engine.GetAsync("/books/_doc/1")).Json["_source"]!["title"]);
        Assert.Equal("Emma", (string?)(await engine.GetAsync("/books/_doc/2")).Json["_source"]!["title"]);
    }

    [Fact]
    public async Task Bulk_BodySeqNoWithoutAnyPrimaryTerm_RefusesTheWholeRequest()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.BulkAsync("/books/_bulk", """
            {"update":{"_id":"1"}}
            {"doc":{"title":"Dune 2"},"if_seq_no":0}

            """.ReplaceLineEndings("\n"));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("action_request_validation_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal("Validation Failed: 1: ifSeqNo is set, but primary term is [0];", (string?)response.Json["error"]!["reason"]);
        Assert.Equal("Dune", (string?)(await engine.GetAsync("/books/_doc/1")).Json["_source"]!["title"]);
    }

    [Fact]
    public async Task Update_BodyConditions_MatchingAppliesAndStaleIs409()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var matching = await engine.PostAsync("/books/_update/1", """{"doc":{"title":"Dune 2"},"if_seq_no":0,"if_primary_term":1}""");
        var stale = await engine.PostAsync("/books/_update/1", """{"doc":{"title":"Dune 3"},"if_seq_no":"0","if_primary_term":"1"}""");

        Assert.Equal(200, matching.StatusCode);
        Assert.Equal(1, (long)matching.Json["_seq_no"]!);
        Assert.Equal(409, stale.StatusCode);
        Assert.Equal("version_conflict_engine_exception", (string?)stale.Json["error"]!["type"]);
        Assert.Equal(StaleReason, (string?)stale.Json["error"]!["reason"]);
        Assert.Equal("Dune 2", (string?)(await engine.GetAsync("/books/_doc/1")).Json["_source"]!["title"]);
    }

    [Fact]
    public async Task Update_BodyConditionsOverTheUrl_TheBodyWins()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        // The URL's seq_no 0 matches; the body's 3 replaces it and is stale.
        var response = await engine.PostAsync("/books/_update/1?if_seq_no=0&if_primary_term=1", """{"doc":{"title":"Dune 2"},"if_seq_no":3}""");

        Assert.Equal(409, response.StatusCode);
        Assert.Equal(
            "[1]: version conflict, required seqNo [3], primary term [1]. current document has seqNo [0] and primary term [1]",
            (string?)response.Json["error"]!["reason"]);
    }

    [Fact]
    public async Task Update_BodyUnassignedSeqNo_ClearsTheUrlCondition()
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        // -2 is Elasticsearch's UNASSIGNED_SEQ_NO and 0 its unassigned primary term: the stale URL condition is gone.
        var response = await engine.PostAsync("/books/_update/1?if_seq_no=9&if_primary_term=1", """{"doc":{"title":"Dune 2"},"if_seq_no":-2,"if_primary_term":0}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("updated", (string?)response.Json["result"]);
    }

    [Fact]
    public async Task Update_BodyConditionsWithUpsert_AreValidationErrors()
    {
        await using var engine = await EngineServer.StartAsync();

        var response = await engine.PostAsync("/books/_update/1", """{"doc":{"title":"Dune"},"doc_as_upsert":true,"if_seq_no":0,"if_primary_term":1}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Validation Failed: 1: compare and write operations can not be used with upsert;", (string?)response.Json["error"]!["reason"]);
    }

    [Theory]
    [InlineData("""{"doc":{},"if_seq_no":-5}""", "[UpdateRequest] failed to parse field [if_seq_no]", "sequence numbers must be non negative. got [-5].")]
    [InlineData("""{"doc":{},"if_primary_term":-1}""", "[UpdateRequest] failed to parse field [if_primary_term]", "primary term must be non negative. got [-1]")]
    public async Task Update_NegativeBodyCondition_IsAParseErrorCausedByTheSetter(string body, string reason, string cause)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.PostAsync("/books/_update/1", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal(reason, (string?)response.Json["error"]!["reason"]);
        Assert.Equal("illegal_argument_exception", (string?)response.Json["error"]!["caused_by"]!["type"]);
        Assert.Equal(cause, (string?)response.Json["error"]!["caused_by"]!["reason"]);
    }

    [Theory]
    [InlineData("true", "VALUE_BOOLEAN")]
    [InlineData("null", "VALUE_NULL")]
    [InlineData("{}", "START_OBJECT")]
    public async Task Update_BodySeqNoOfAnotherType_IsRefusedByType(string value, string token)
    {
        await using var engine = await EngineServer.StartAsync();
        await engine.PutAsync("/books/_doc/1", """{"title":"Dune"}""");

        var response = await engine.PostAsync("/books/_update/1", $$"""{"doc":{},"if_seq_no":{{value}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("x_content_parse_exception", (string?)response.Json["error"]!["type"]);
        Assert.Equal($"[UpdateRequest] if_seq_no doesn't support values of type: {token}", (string?)response.Json["error"]!["reason"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"title":"Dune"}"""), (await engine.GetAsync("/books/_doc/1")).Json["_source"]));
    }
}
