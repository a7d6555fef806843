using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Tests.Errors;

// Expected objects are written from Elasticsearch's documented error responses, key order included (the contract
// tests compare shapes, which ignore order, so the order is pinned here).
public sealed class ErrorJsonTests
{
    [Fact]
    public void Describe_IndexNotFound_WritesResourceFieldsThenNaUuidThenIndex()
    {
        var json = ErrorJson.Describe(EngineException.IndexNotFound("missing"), _ => null);

        Assert.Equal(
            """{"type":"index_not_found_exception","reason":"no such index [missing]","resource.type":"index_or_alias","resource.id":"missing","index_uuid":"_na_","index":"missing"}""",
            json.ToJsonString());
    }

    [Fact]
    public void Describe_ShardError_WritesUuidFromExtraThenShardThenIndex()
    {
        var error = new EngineException(
            409, "version_conflict_engine_exception", "[1]: version conflict", "books", new JsonObject { ["index_uuid"] = "from-store", ["shard"] = "0" });

        var json = ErrorJson.Describe(error, _ => "from-lookup");

        Assert.Equal(
            """{"type":"version_conflict_engine_exception","reason":"[1]: version conflict","index_uuid":"from-store","shard":"0","index":"books"}""",
            json.ToJsonString());
    }

    [Fact]
    public void Describe_CausedBy_ComesAfterTheIndexAndOnlyWhenAsked()
    {
        var error = new EngineException(
            400, "query_shard_exception", "failed to create query: bad", "books",
            new JsonObject { ["caused_by"] = new JsonObject { ["type"] = "illegal_argument_exception", ["reason"] = "bad" } });

        var withCause = ErrorJson.Describe(error, _ => "uuid-1");
        var withoutCause = ErrorJson.Describe(error, _ => "uuid-1", includeCause: false);

        Assert.Equal(
            """{"type":"query_shard_exception","reason":"failed to create query: bad","index_uuid":"uuid-1","index":"books","caused_by":{"type":"illegal_argument_exception","reason":"bad"}}""",
            withCause.ToJsonString());
        Assert.Equal(
            """{"type":"query_shard_exception","reason":"failed to create query: bad","index_uuid":"uuid-1","index":"books"}""",
            withoutCause.ToJsonString());
    }

    [Fact]
    public void Describe_NoIndex_WritesExtrasInTheirOrderAndNoUuid()
    {
        var error = EngineException.Parsing("unknown query [nope]", line: 1, col: 12);

        var json = ErrorJson.Describe(error, _ => "unused");

        Assert.Equal("""{"type":"parsing_exception","reason":"unknown query [nope]","line":1,"col":12}""", json.ToJsonString());
    }
}
