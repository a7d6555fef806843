using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The JSON of document write answers, shared by the single-document APIs and <c>_bulk</c>.</summary>
internal static class WriteResponses
{
    /// <summary>
    /// <c>{"_index", "_id", "_version", "result", "_shards", "_seq_no", "_primary_term"}</c>. <c>_shards</c> counts the
    /// copies a single-node Elasticsearch reports: the primary plus its (unassigned) replicas in <c>total</c>, one
    /// <c>successful</c>; a noop touched none.
    /// </summary>
    public static JsonObject Body(WriteResult result, EngineIndex index, bool forcedRefresh)
    {
        var noop = result.Result == WriteOutcome.Noop;
        var body = new JsonObject
        {
            ["_index"] = result.Index,
            ["_id"] = result.Id,
            ["_version"] = result.Version,
            ["result"] = Name(result.Result),
        };
        if (forcedRefresh)
        {
            body["forced_refresh"] = true;
        }

        body["_shards"] = Shards(noop ? 0 : 1 + index.Settings.NumberOfReplicas, noop ? 0 : 1);
        body["_seq_no"] = result.SeqNo;
        body["_primary_term"] = result.PrimaryTerm;
        return body;
    }

    /// <summary>The HTTP status of a write: 201 created, 404 for a delete that found nothing, else 200.</summary>
    public static int Status(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => 201,
        WriteOutcome.NotFound => 404,
        _ => 200,
    };

    public static string Name(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => "created",
        WriteOutcome.Updated => "updated",
        WriteOutcome.Deleted => "deleted",
        WriteOutcome.NotFound => "not_found",
        WriteOutcome.Noop => "noop",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static JsonObject Shards(int total, int successful) =>
        new() { ["total"] = total, ["successful"] = successful, ["failed"] = 0 };
}
