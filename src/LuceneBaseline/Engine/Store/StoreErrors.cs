using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The errors Store raises, worded as Elasticsearch words them. Errors about a known index carry its real
/// <c>index_uuid</c> (and <c>shard</c> <c>"0"</c> where Elasticsearch reports a shard) in <see cref="EngineException.Extra"/>.
/// </summary>
internal static class StoreErrors
{
    /// <summary>The uuid Elasticsearch reports for an index that has none (an invalid or missing name).</summary>
    public const string NoUuid = "_na_";

    public static EngineException InvalidIndexName(string name, string why) =>
        new(400, "invalid_index_name_exception", $"Invalid index name [{name}], {why}", name, new JsonObject { ["index_uuid"] = NoUuid });

    public static EngineException AlreadyExists(string name, string uuid) =>
        new(400, "resource_already_exists_exception", $"index [{name}/{uuid}] already exists", name, new JsonObject { ["index_uuid"] = uuid });

    public static EngineException AutoCreateDisabled(string name) =>
        new(
            404,
            "index_not_found_exception",
            $"no such index [{name}] and [action.auto_create_index] is [false]",
            name,
            new JsonObject { ["index_uuid"] = NoUuid });

    public static EngineException VersionConflict(string index, string uuid, string id, string why) =>
        new(409, "version_conflict_engine_exception", $"[{id}]: version conflict, {why}", index, ShardExtra(uuid));

    /// <summary><c>if_seq_no</c>/<c>if_primary_term</c> against a document that does not exist (or was deleted).</summary>
    public static EngineException SeqNoConflictNoDocument(string index, string uuid, string id, long ifSeqNo, long ifPrimaryTerm) =>
        VersionConflict(index, uuid, id, $"required seqNo [{ifSeqNo}], primary term [{ifPrimaryTerm}]. but no document was found");

    public static EngineException SeqNoConflict(string index, string uuid, string id, long ifSeqNo, long ifPrimaryTerm, long seqNo, long primaryTerm) =>
        VersionConflict(
            index,
            uuid,
            id,
            $"required seqNo [{ifSeqNo}], primary term [{ifPrimaryTerm}]. current document has seqNo [{seqNo}] and primary term [{primaryTerm}]");

    public static EngineException DocumentExists(string index, string uuid, string id, long currentVersion) =>
        VersionConflict(index, uuid, id, $"document already exists (current version [{currentVersion}])");

    public static EngineException DocumentMissing(string index, string uuid, string id) =>
        new(404, "document_missing_exception", $"[{id}]: document missing", index, ShardExtra(uuid));

    public static EngineException UnknownSetting(string key) =>
        EngineException.IllegalArgument(
            $"unknown setting [{key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings");

    /// <summary>Elasticsearch's <c>parse_exception</c> (ElasticsearchParseException), e.g. an unknown key of a create-index body.</summary>
    public static EngineException Parse(string reason) => new(400, "parse_exception", reason);

    private static JsonObject ShardExtra(string uuid) => new() { ["index_uuid"] = uuid, ["shard"] = "0" };
}
