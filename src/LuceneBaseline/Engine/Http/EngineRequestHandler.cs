using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// The engine's terminal request handler: routes a request, runs its handler and writes the answer in
/// Elasticsearch's shape.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The path is split on <c>/</c> from the raw request target and each segment percent-decoded as Elasticsearch
/// decodes it (<see cref="PathDecoder"/>), so an id holding an encoded <c>/</c> stays one segment.</item>
/// <item><c>OPTIONS</c> on any path answers 200 with an <c>Allow</c> header naming the path's methods
/// (<see cref="RestOptions"/>).</item>
/// <item>A body must come with a JSON or NDJSON media type (Elasticsearch answers 406 otherwise).</item>
/// <item>Errors: <see cref="EngineException"/> becomes Elasticsearch's error body; a body over the size limit is
/// 413 with no body, as Elasticsearch answers; a cancelled request writes nothing; anything else is a 500 in the
/// same error shape, logged.</item>
/// <item><c>pretty</c> and <c>filter_path</c> apply to every JSON answer; every answer carries
/// <c>X-elastic-product: Elasticsearch</c>, which the official clients check.</item>
/// </list>
/// Thread-safe; one instance serves every request.
/// </remarks>
internal sealed partial class EngineRequestHandler
{
    // A stored _source may nest as deep as a request body may (JsonBody.MaxDepth), plus the answer's own wrapping.
    // Elasticsearch (Jackson) escapes only what JSON requires: '+' in Base64, '<', '>', '&', '\'' and non-ASCII text go out
    // as they are, not as \u002B and the like (a binary field's Base64 would otherwise grow by about 6%).
    private static readonly JsonSerializerOptions Compact =
        new() { WriteIndented = false, MaxDepth = 2 * JsonBody.MaxDepth, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Pretty =
        new() { WriteIndented = true, IndentSize = 2, MaxDepth = 2 * JsonBody.MaxDepth, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RestRouter _router;
    private readonly IndexCatalog _catalog;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EngineMetrics? _metrics;

    public EngineRequestHandler(IndexCatalog catalog, EngineHostOptions options, TimeProvider timeProvider, ILogger logger, PointInTimeRegistry pointsInTime, EngineMetrics? metrics = null)
    {
        _catalog = catalog;
        _logger = logger;
        _time = timeProvider;
        _metrics = metrics;
        _router = EngineRoutes.Create(catalog, options, timeProvider, pointsInTime);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var path = RawPath(context);
        var pretty = false;
        FilterPath? filter = null;
        RestResponse response;
        try
        {
            pretty = CommonParameters.ReadPretty(context.Request.Query);
            filter = FilterPath.Parse(context.Request.Query["filter_path"]);
            response = await DispatchAsync(context, path).ConfigureAwait(false);
        }
        catch (EngineException exception)
        {
            response = RestResponse.Of(exception.Status, ErrorBody.Create(exception, UuidOf));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            response = RestResponse.Empty(StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception exception) when (BodyErrors.Describe(context, exception) is { } bodyError)
        {
            // A body that cannot be read (a bad chunk size, a corrupt gzip or br stream) is the client's error.
            response = RestResponse.Of(bodyError.Status, ErrorBody.Create(bodyError, UuidOf));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer and nothing went wrong on our side.
            return;
        }
        catch (Exception exception)
        {
            Log.UnhandledError(_logger, context.Request.Method, path, exception);
            var error = new EngineException(500, "exception", exception.Message);
            response = RestResponse.Of(500, ErrorBody.Create(error, UuidOf));
        }

        await WriteAsync(context, response, pretty, filter).ConfigureAwait(false);
        _metrics?.RequestCompleted(context.Request.Method, context.Items[typeof(RestRoute)] as string, response.Status, _time.GetElapsedTime(started));
    }

    private async Task<RestResponse> DispatchAsync(HttpContext context, string path)
    {
        var segments = Segments(path);
        var method = context.Request.Method.ToUpperInvariant();
        var found = segments is null ? null : _router.Find(segments);

        // An index name never starts with '_' (except the _all expression), so "/_nodes" or "/_msearch" is an API this
        // engine does not have, not an index: answer as a node without that handler does, not "no such index". PUT
        // still reaches index creation, which names the rule a new index broke.
        if (found is { } match && method != "PUT" && segments!.Count > 0 && segments[0].StartsWith('_') && segments[0] != "_all"
            && match.Values.ContainsKey("index") && match.Route.Template.StartsWith("/{index}", StringComparison.Ordinal))
        {
            found = null;
        }

        if (found is null)
        {
            if (method == "OPTIONS")
            {
                return RestOptions.Answer(context, route: null);
            }

            return RestResponse.Of(400, ErrorBody.Plain($"no handler found for uri [{path}] and method [{method}]", 400));
        }

        var (route, values) = found.Value;
        context.Items[typeof(RestRoute)] = route.Template; // the low-cardinality route tag of the request metrics
        if (method == "OPTIONS")
        {
            return RestOptions.Answer(context, route);
        }

        if (!route.Handlers.TryGetValue(method, out var handler))
        {
            var allowed = string.Join(", ", route.Handlers.Keys);
            return RestResponse.Of(405, ErrorBody.Plain($"Incorrect HTTP method for uri [{path}] and method [{method}], allowed: [{allowed}]", 405));
        }

        var request = new RestRequest(context, path, segments!) { RouteValues = values };
        CheckContentType(request);
        return await handler(request).ConfigureAwait(false);
    }

    private static void CheckContentType(RestRequest request)
    {
        if (!request.HasBody)
        {
            return;
        }

        var contentType = request.Context.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or "application/x-ndjson" or "application/vnd.elasticsearch+json" or "application/vnd.elasticsearch+x-ndjson"))
        {
            throw new EngineException(406, "media_type_header_exception", $"Content-Type header [{contentType}] is not supported");
        }
    }

    private async Task WriteAsync(HttpContext context, RestResponse response, bool pretty, FilterPath? filter)
    {
        var http = context.Response;
        if (http.HasStarted)
        {
            return;
        }

        http.StatusCode = response.Status;
        http.Headers["X-elastic-product"] = "Elasticsearch";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            http.ContentLength = 0;
            return;
        }

        byte[] bytes;
        if (response.Text is { } text)
        {
            http.ContentType = "text/plain; charset=UTF-8";
            bytes = Encoding.UTF8.GetBytes(text);
        }
        else if (response.Json is { } json)
        {
            http.ContentType = ResponseMediaType(context.Request);
            var shown = filter is null ? json : filter.Apply(json);
            bytes = Encoding.UTF8.GetBytes(shown.ToJsonString(pretty ? Pretty : Compact) + (pretty ? "\n" : ""));
        }
        else
        {
            http.ContentLength = 0;
            return;
        }

        http.ContentLength = bytes.Length;
        await http.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>application/json</c>, or the versioned media type when the client asked for one (the official clients'
    /// compatibility mode sends <c>application/vnd.elasticsearch+json; compatible-with=8</c> and expects it back).
    /// </summary>
    private static string ResponseMediaType(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/vnd.elasticsearch+json", StringComparison.OrdinalIgnoreCase)
            ? accept.Split(',')[0].Trim()
            : "application/json";
    }

    private string? UuidOf(string index) => _catalog.TryGetIndex(index, out var found) ? found.Uuid : null;

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        var query = raw.IndexOf('?');
        return query >= 0 ? raw[..query] : raw;
    }

    /// <summary>The decoded segments of a raw path, or null when it is malformed (an empty inner segment).</summary>
    private static List<string>? Segments(string rawPath)
    {
        var trimmed = rawPath.Length > 1 && rawPath.EndsWith('/') ? rawPath[..^1] : rawPath;
        if (!trimmed.StartsWith('/'))
        {
            return null;
        }

        if (trimmed == "/")
        {
            return [];
        }

        var parts = trimmed[1..].Split('/');
        var segments = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                return null;
            }

            segments.Add(PathDecoder.DecodeComponent(part));
        }

        return segments;
    }
}
