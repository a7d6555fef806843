using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Rerank.Sidecar.Hosting;

/// <summary>
/// Writes an error in Elasticsearch's shape: <c>{"error":{"root_cause":[{"type","reason"}],"type","reason"},"status"}</c>,
/// so clients and the official client library read the sidecar's own errors like the cluster's.
/// </summary>
internal static class ElasticsearchError
{
    /// <summary>The JSON body for an error with one cause.</summary>
    public static byte[] Body(int status, string type, string reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteStartArray("root_cause");
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("reason", reason);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("type", type);
            json.WriteString("reason", reason);
            json.WriteEndObject();
            json.WriteNumber("status", status);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Answers <paramref name="context"/> with the error (headers must not have been sent yet).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string reason, CancellationToken cancellationToken)
    {
        var body = Body(status, type, reason);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        // The official clients check this header on the cluster's answers; the sidecar's own errors carry it too.
        context.Response.Headers["X-elastic-product"] = "Elasticsearch";
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Elasticsearch's 405: <c>{"error":"Incorrect HTTP method for uri [...] and method [...], allowed: [...]","status":405}</c>.</summary>
    public static async Task WriteMethodNotAllowedAsync(HttpContext context, string allowed, CancellationToken cancellationToken)
    {
        var uri = context.Request.Path.Value + context.Request.QueryString.Value;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", $"Incorrect HTTP method for uri [{uri}] and method [{context.Request.Method}], allowed: [{allowed}]");
            json.WriteNumber("status", 405);
            json.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.ContentType = "application/json";
        context.Response.Headers.Allow = allowed;
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
