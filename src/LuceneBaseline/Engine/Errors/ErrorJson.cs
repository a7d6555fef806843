using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Errors;

/// <summary>
/// One <see cref="EngineException"/> as an Elasticsearch error object (<c>type</c>, <c>reason</c>, its fields): the one
/// renderer of the HTTP error body, bulk item errors and the search API's shard failures and root causes. Stateless
/// and thread-safe; every call builds a new object and never shares the exception's nodes.
/// </summary>
internal static class ErrorJson
{
    /// <summary>
    /// The error object, without <c>root_cause</c>. Keys come in Elasticsearch's order: <c>type</c>, <c>reason</c>, the
    /// fields of <see cref="EngineException.Extra"/> in their order, then for an error about an index
    /// <c>index_uuid</c>, <c>shard</c>, <c>index</c> (a <c>shard</c> without an index on its own), and
    /// <c>caused_by</c> last.
    /// </summary>
    /// <param name="error">The error.</param>
    /// <param name="uuidOf">
    /// The uuid of an index by name, used when <c>Extra</c> carries no <c>index_uuid</c> (Store fills it itself where it
    /// knows better, e.g. <c>_na_</c> for a deleted index); null from it reports <c>_na_</c>, as Elasticsearch does for an
    /// index that does not exist.
    /// </param>
    /// <param name="includeCause">Whether the <c>caused_by</c> of <c>Extra</c> is written (root causes are written without).</param>
    public static JsonObject Describe(EngineException error, Func<string, string?> uuidOf, bool includeCause = true)
    {
        var json = new JsonObject { ["type"] = error.Type, ["reason"] = error.Reason };
        JsonNode? shard = null;
        JsonNode? causedBy = null;
        foreach (var (key, value) in error.Extra ?? [])
        {
            switch (key)
            {
                case "index_uuid":
                    break;
                case "shard":
                    shard = value?.DeepClone();
                    break;
                case "caused_by":
                    causedBy = value?.DeepClone();
                    break;
                default:
                    json[key] = value?.DeepClone();
                    break;
            }
        }

        if (error.Index is { } index)
        {
            json["index_uuid"] = error.Extra?["index_uuid"]?.DeepClone() ?? uuidOf(index) ?? "_na_";
        }

        if (shard is not null)
        {
            json["shard"] = shard;
        }

        if (error.Index is not null)
        {
            json["index"] = error.Index;
        }

        if (includeCause && error.Extra?.ContainsKey("caused_by") == true)
        {
            json["caused_by"] = causedBy;
        }

        return json;
    }
}
