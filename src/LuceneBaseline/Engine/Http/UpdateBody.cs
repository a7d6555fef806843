using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Parses the body of <c>_update</c> (and of a bulk <c>update</c> item).</summary>
internal static class UpdateBody
{
    /// <summary>The update, and the <c>_source</c> filter of the answer's <c>get</c> when the body asks for one.</summary>
    public static (UpdateRequest Update, SourceSpec? Source) Parse(JsonObject body)
    {
        JsonObject? doc = null;
        JsonObject? upsert = null;
        var docAsUpsert = false;
        var detectNoop = true;
        SourceSpec? source = null;
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "doc":
                    doc = Object(key, value);
                    break;
                case "upsert":
                    upsert = Object(key, value);
                    break;
                case "doc_as_upsert":
                    docAsUpsert = Boolean(key, value);
                    break;
                case "detect_noop":
                    detectNoop = Boolean(key, value);
                    break;
                case "_source":
                    source = SourceFilterParameters.Parse(value, "UpdateRequest");
                    break;
                case "script" or "scripted_upsert":
                    throw EngineException.IllegalArgument($"[{key}] is not supported by the embedded engine: updates take a partial [doc]");
                default:
                    throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] unknown field [{key}]");
            }
        }

        return (new UpdateRequest { Doc = doc, Upsert = upsert, DocAsUpsert = docAsUpsert, DetectNoop = detectNoop }, source);
    }

    private static JsonObject Object(string key, JsonNode? value) =>
        value as JsonObject ?? throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] failed to parse field [{key}]: expected an object");

    private static bool Boolean(string key, JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when value.GetValue<string>() is "true" or "false" => value.GetValue<string>() == "true",
        _ => throw new EngineException(400, "x_content_parse_exception", $"[UpdateRequest] failed to parse field [{key}]: expected a boolean"),
    };
}
