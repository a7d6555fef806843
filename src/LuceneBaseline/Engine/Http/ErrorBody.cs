using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Elasticsearch's error body for an <see cref="EngineException"/> (docs/embedded-engine-internals.md, "Errors").</summary>
internal static class ErrorBody
{
    /// <summary>
    /// <c>{"error": {"root_cause": [...], "type", "reason", ...}, "status": n}</c>. <paramref name="uuidOf"/> gives the
    /// uuid of a known index (Elasticsearch reports <c>_na_</c> for one that does not exist).
    /// </summary>
    public static JsonObject Create(EngineException exception, Func<string, string?> uuidOf)
    {
        var error = Describe(exception, uuidOf);

        // A component that builds its own root causes and cause chain (a search phase failure lists one per failed
        // index) puts them in Extra; otherwise the root cause is this error or its RootCause.
        if (error["root_cause"] is { } given)
        {
            error.Remove("root_cause");
            error.Insert(0, "root_cause", given);
        }
        else
        {
            error.Insert(0, "root_cause", new JsonArray(Describe(exception.RootCause ?? exception, uuidOf)));
        }

        if (exception.RootCause is not null && !error.ContainsKey("caused_by"))
        {
            error["caused_by"] = Describe(exception.RootCause, uuidOf);
        }

        return new JsonObject { ["error"] = error, ["status"] = exception.Status };
    }

    /// <summary>The plain-string error Elasticsearch gives when no handler matches (<c>{"error": "...", "status": n}</c>).</summary>
    public static JsonObject Plain(string message, int status) => new() { ["error"] = message, ["status"] = status };

    /// <summary>One error object (type, reason, extra fields, index) without <c>root_cause</c>, as bulk items carry it.</summary>
    public static JsonObject Describe(EngineException exception, Func<string, string?> uuidOf)
    {
        var body = new JsonObject { ["type"] = exception.Type, ["reason"] = exception.Reason };
        JsonNode? shard = null;
        if (exception.Extra is { } extra)
        {
            foreach (var (key, value) in extra)
            {
                if (key is "shard" or "index_uuid")
                {
                    if (key == "shard")
                    {
                        shard = value?.DeepClone();
                    }

                    continue;
                }

                body[key] = value?.DeepClone();
            }
        }

        // Elasticsearch writes index_uuid, shard, index in that order.
        if (exception.Index is { } index)
        {
            // Store fills index_uuid itself where it knows better (a deleted index is "_na_").
            body["index_uuid"] = exception.Extra?["index_uuid"]?.DeepClone() ?? uuidOf(index) ?? "_na_";
            if (shard is not null)
            {
                body["shard"] = shard;
            }

            body["index"] = index;
        }
        else if (shard is not null)
        {
            body["shard"] = shard;
        }

        return body;
    }
}
