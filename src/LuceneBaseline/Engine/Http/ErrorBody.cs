using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Elasticsearch's error body for an <see cref="EngineException"/> (docs/embedded-engine-internals.md, "Errors"); each error object in it is <see cref="ErrorJson.Describe"/>.</summary>
internal static class ErrorBody
{
    /// <summary>
    /// <c>{"error": {"root_cause": [...], "type", "reason", ...}, "status": n}</c>. <paramref name="uuidOf"/> gives the
    /// uuid of a known index (Elasticsearch reports <c>_na_</c> for one that does not exist).
    /// </summary>
    public static JsonObject Create(EngineException exception, Func<string, string?> uuidOf)
    {
        var error = ErrorJson.Describe(exception, uuidOf);

        // A component that builds its own root causes and cause chain (a search phase failure lists one per failed
        // index) puts them in Extra; otherwise the root cause is this error or its RootCause.
        if (error["root_cause"] is { } given)
        {
            error.Remove("root_cause");
            error.Insert(0, "root_cause", given);
        }
        else
        {
            // Root causes are listed without their own causes, as Elasticsearch writes them.
            error.Insert(0, "root_cause", new JsonArray(ErrorJson.Describe(exception.RootCause ?? exception, uuidOf, includeCause: false)));
        }

        if (exception.RootCause is not null && !error.ContainsKey("caused_by"))
        {
            error["caused_by"] = ErrorJson.Describe(exception.RootCause, uuidOf);
        }

        return new JsonObject { ["error"] = error, ["status"] = exception.Status };
    }

    /// <summary>The plain-string error Elasticsearch gives when no handler matches (<c>{"error": "...", "status": n}</c>).</summary>
    public static JsonObject Plain(string message, int status) => new() { ["error"] = message, ["status"] = status };

}
