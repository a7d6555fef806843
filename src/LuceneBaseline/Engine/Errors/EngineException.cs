using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Errors;

/// <summary>
/// A request the engine refuses, carrying what Elasticsearch would answer: the HTTP status, the error <c>type</c>
/// (<c>index_not_found_exception</c>, ...) and <c>reason</c>. The HTTP layer writes it in Elasticsearch's error shape
/// (docs/embedded-engine-internals.md).
/// </summary>
internal sealed class EngineException : Exception
{
    public EngineException(int status, string type, string reason, string? index = null, JsonObject? extra = null, EngineException? rootCause = null)
        : base(reason)
    {
        Status = status;
        Type = type;
        Reason = reason;
        Index = index;
        Extra = extra;
        RootCause = rootCause;
    }

    public EngineException()
        : this(500, "exception", "unknown error")
    {
    }

    public EngineException(string message)
        : this(500, "exception", message)
    {
    }

    public EngineException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Type = "exception";
        Reason = message;
    }

    /// <summary>The HTTP status code (400, 404, 409, ...).</summary>
    public int Status { get; }

    /// <summary>Elasticsearch's error type, snake_case.</summary>
    public string Type { get; }

    public string Reason { get; }

    /// <summary>The index the error concerns, or null.</summary>
    public string? Index { get; }

    /// <summary>Further fields of the <c>error</c> object (<c>line</c>, <c>col</c>, <c>resource.id</c>, ...), or null.</summary>
    public JsonObject? Extra { get; }

    /// <summary>The root cause when it differs from this error (a search phase failure wraps the query's error).</summary>
    public EngineException? RootCause { get; }

    public static EngineException IndexNotFound(string index) =>
        new(404, "index_not_found_exception", $"no such index [{index}]", index, new JsonObject { ["resource.type"] = "index_or_alias", ["resource.id"] = index });

    public static EngineException Parsing(string reason, int? line = null, int? col = null) =>
        new(400, "parsing_exception", reason, extra: line is null ? null : new JsonObject { ["line"] = line, ["col"] = col ?? 0 });

    public static EngineException IllegalArgument(string reason) => new(400, "illegal_argument_exception", reason);

    /// <summary>
    /// Elasticsearch's <c>action_request_validation_exception</c> (400): every failed check numbered from 1 and ended
    /// by a semicolon, <c>Validation Failed: 1: a;2: b;</c>.
    /// </summary>
    public static EngineException Validation(IReadOnlyList<string> problems)
    {
        var reason = new System.Text.StringBuilder("Validation Failed: ");
        for (var i = 0; i < problems.Count; i++)
        {
            reason.Append(i + 1).Append(": ").Append(problems[i]).Append(';');
        }

        return new EngineException(400, "action_request_validation_exception", reason.ToString());
    }

    public static EngineException MapperParsing(string reason, string? index = null) => new(400, "mapper_parsing_exception", reason, index);

    /// <summary>A stable stand-in for an Elasticsearch uuid: the same name always gives the same 22 characters.</summary>
    public static string StableUuid(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
