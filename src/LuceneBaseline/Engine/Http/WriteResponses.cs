using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;
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
    /// <summary>
    /// The <c>get</c> an update answer carries when <c>_source</c> asks for the updated document back (from
    /// <c>_update</c> and a bulk <c>update</c>): its sequence number, primary term, whether it exists, and its
    /// source filtered by <paramref name="filter"/>.
    /// </summary>
    public static JsonObject UpdatedGet(GetResult current, SourceSpec filter) => new()
    {
        ["_seq_no"] = current.SeqNo,
        ["_primary_term"] = current.PrimaryTerm,
        ["found"] = current.Found,
        ["_source"] = current.Source is null ? null : filter.Apply(current.Source),
    };

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
