using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>What a handler answers: a status and a JSON body, a plain-text body (<c>_cat</c>), or no body (<c>HEAD</c>).</summary>
internal sealed record RestResponse
{
    public int Status { get; init; } = 200;

    public JsonNode? Json { get; init; }

    /// <summary>A plain-text body, sent as <c>text/plain; charset=UTF-8</c>.</summary>
    public string? Text { get; init; }

    public static RestResponse Ok(JsonNode json) => new() { Json = json };

    public static RestResponse Of(int status, JsonNode json) => new() { Status = status, Json = json };

    public static RestResponse Empty(int status) => new() { Status = status };

    public static RestResponse Acknowledged() => Ok(new JsonObject { ["acknowledged"] = true });
}
