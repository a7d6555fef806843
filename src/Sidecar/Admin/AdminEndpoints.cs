using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;

namespace Rerank.Sidecar.Admin;

/// <summary>
/// The admin endpoints under <c>/_rerank/_admin/</c> (docs/sidecar.md, "Admin"): <c>POST models/_reload</c> rescans
/// the models directory now, <c>GET config/{index}</c> shows the index's effective <c>_meta.rerank</c>.
/// </summary>
/// <remarks>
/// Every request under <see cref="Prefix"/> is answered here and never forwarded (the key must not reach the cluster):
/// <list type="number">
/// <item>No key configured (<c>SearchOptions.AdminKey</c>): 403 <c>security_exception</c>, the endpoints are off.</item>
/// <item>Header <see cref="HeaderName"/> missing, repeated or wrong: 401 <c>security_exception</c>, checked before the
/// route so an unauthenticated caller learns nothing about the routes.</item>
/// <item>The route: a known path with another method is Elasticsearch's 405; an unknown path its 400 "no handler found".</item>
/// </list>
/// Thread-safe.
/// </remarks>
internal sealed partial class AdminEndpoints
{
    /// <summary>Every path at or below it is an admin request.</summary>
    public const string Prefix = "/_rerank/_admin";

    public const string HeaderName = "X-Rerank-Admin-Key";

    public const string ReloadPath = Prefix + "/models/_reload";

    public const string ConfigPrefix = Prefix + "/config/";

    private readonly AdminKey _key;
    private readonly ModelRegistry _models;
    private readonly IIndexConfigSource _configs;
    private readonly ILogger _logger;

    public AdminEndpoints(SidecarOptions options, ModelRegistry models, IIndexConfigSource configs, ILogger<AdminEndpoints> logger)
    {
        _key = new AdminKey(options.Search.AdminKey);
        _models = models;
        _configs = configs;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="path"/> is <see cref="Prefix"/> or below it.</summary>
    public static bool Matches(PathString path) =>
        path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        if (!_key.IsConfigured)
        {
            return ElasticsearchError.WriteAsync(context, StatusCodes.Status403Forbidden, "security_exception",
                "the admin endpoints are off: start the sidecar with an admin key (rerank serve --admin-key <key> or the environment variable RERANK_ADMIN_KEY) to turn them on",
                cancellationToken);
        }

        var presented = request.Headers[HeaderName];
        if (presented.Count != 1 || !_key.Matches(presented[0]))
        {
            Log.Refused(_logger, request.Method, request.Path.Value ?? "", presented.Count == 0 ? "missing" : "wrong", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            context.Response.Headers.WWWAuthenticate = $"{HeaderName} realm=\"rerank-admin\"";
            var reason = presented.Count == 0
                ? $"missing admin key (header [{HeaderName}]) for REST request [{request.Path.Value}]"
                : $"unable to authenticate with the admin key (header [{HeaderName}]) for REST request [{request.Path.Value}]";
            return ElasticsearchError.WriteAsync(context, StatusCodes.Status401Unauthorized, "security_exception", reason, cancellationToken);
        }

        var path = request.Path.Value ?? "";
        if (path.Equals(ReloadPath, StringComparison.Ordinal))
        {
            return HttpMethods.IsPost(request.Method)
                ? ReloadAsync(context)
                : ElasticsearchError.WriteMethodNotAllowedAsync(context, "POST", cancellationToken);
        }

        if (path.StartsWith(ConfigPrefix, StringComparison.Ordinal) && path.Length > ConfigPrefix.Length && path.IndexOf('/', ConfigPrefix.Length) < 0)
        {
            return HttpMethods.IsGet(request.Method)
                ? ConfigAsync(context, path[ConfigPrefix.Length..])
                : ElasticsearchError.WriteMethodNotAllowedAsync(context, "GET", cancellationToken);
        }

        return NoHandlerAsync(context);
    }

    private async Task ReloadAsync(HttpContext context)
    {
        try
        {
            await _models.ScanAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await ElasticsearchError.WriteAsync(context, StatusCodes.Status500InternalServerError, "io_exception",
                $"the models directory could not be scanned: {exception.Message}", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var status = _models.Status;
        Log.Reloaded(_logger, status.Count(s => s.ModelId is not null), status.Count(s => s.Error is not null));
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteBoolean("acknowledged", true);
            ModelStatusJson.WriteArray(json, "models", status);
        }).ConfigureAwait(false);
    }

    private async Task ConfigAsync(HttpContext context, string index)
    {
        RerankIndexConfig? config;
        try
        {
            // The caller's cluster credentials (not the admin key) read the mapping, as for any other request.
            var authorization = context.Request.Headers.Authorization;
            config = await _configs.GetAsync(index, authorization.Count == 0 ? null : authorization.ToString(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (RerankConfigException exception)
        {
            await ElasticsearchError.WriteAsync(context, StatusCodes.Status400BadRequest, "illegal_argument_exception", exception.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (config is null)
        {
            await ElasticsearchError.WriteAsync(context, StatusCodes.Status404NotFound, "resource_not_found_exception",
                $"no enabled [_meta.rerank] for [{index}]: the index does not exist, has no [_meta.rerank] or has [enabled: false], or its mapping could not be read",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var rerank = RerankIndexConfigReader.ToJson(config);
        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteString("index", index);
            json.WritePropertyName(RerankIndexConfig.MetaKey);
            rerank.WriteTo(json);
        }).ConfigureAwait(false);
    }

    private static async Task NoHandlerAsync(HttpContext context)
    {
        // Elasticsearch's answer to a path it has no handler for.
        var uri = context.Request.Path.Value + context.Request.QueryString.Value;
        await WriteJsonAsync(context, StatusCodes.Status400BadRequest, json =>
            json.WriteString("error", $"no handler found for uri [{uri}] and method [{context.Request.Method}]"), includeStatus: true).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write, bool includeStatus = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            if (includeStatus)
            {
                json.WriteNumber("status", status);
            }

            json.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
        }
    }
}
