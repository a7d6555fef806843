using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Rerank.IngestPipeline.Contracts;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// Validation at the door: <c>PUT|POST /{index}/_mapping</c> with <c>_meta.rerank</c> and <c>PUT /{index}</c> with
/// <c>mappings._meta.rerank</c> are read and checked before the cluster sees them (docs/sidecar.md).
/// </summary>
/// <remarks>
/// 1. Only those two routes are read; the body is buffered up to <see cref="SidecarOptions.MaxValidatedBodyBytes"/>
///    (more: 413 with no body, as Elasticsearch answers a body over <c>http.max_content_length</c>).
/// 2. A gzip, deflate or br body is decompressed for the check only, within the same bound (<see cref="RequestBodies"/>).
/// 3. A body that is not JSON, or has no <c>_meta.rerank</c>, is forwarded as is (the cluster answers it).
/// 4. An invalid <c>_meta.rerank</c>: 400 <c>illegal_argument_exception</c> with every problem, not forwarded.
/// 5. Otherwise the same bytes are forwarded.
/// </remarks>
internal sealed partial class MetaValidationMiddleware(RequestDelegate next, SidecarOptions options, SidecarMetrics metrics, ILogger<MetaValidationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = Match(request.Method, request.Path);
        if (target is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var (index, underMappings) = target.Value;
        if (request.ContentLength > options.MaxValidatedBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentLength = 0;
            return;
        }

        var body = await RequestBodies.ReadAsync(request.Body, options.MaxValidatedBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body.Length > options.MaxValidatedBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentLength = 0;
            return;
        }

        if (await CheckAsync(index, underMappings, body, request.Headers.ContentEncoding, options.MaxValidatedBodyBytes, context.RequestAborted).ConfigureAwait(false) is { } error)
        {
            metrics.ConfigRejected();
            Log.Rejected(logger, index, error.Errors.Count);
            await ElasticsearchError.WriteAsync(context, StatusCodes.Status400BadRequest, "illegal_argument_exception", error.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The forwarder streams from Request.Body: the same bytes, with the client's Content-Length (or chunked framing) kept.
        request.Body = new MemoryStream(body, writable: false);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>The index named by a mapping update or index creation, and whether its config sits under <c>mappings</c>.</summary>
    internal static (string Index, bool UnderMappings)? Match(string method, PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 1 && HttpMethods.IsPut(method) && !segments[0].StartsWith('_'))
        {
            return (segments[0], true);
        }

        if (segments.Length == 2 && (HttpMethods.IsPut(method) || HttpMethods.IsPost(method))
            && !segments[0].StartsWith('_') && segments[1] == "_mapping")
        {
            return (segments[0], false);
        }

        return null;
    }

    /// <summary>
    /// The config error in <paramref name="body"/>, or null when it has none, is not JSON, or cannot be decoded within
    /// <paramref name="limit"/> (the cluster answers those).
    /// </summary>
    internal static async Task<RerankConfigException?> CheckAsync(
        string index, bool underMappings, byte[] body, StringValues contentEncoding, long limit, CancellationToken cancellationToken)
    {
        var decoded = await RequestBodies.DecodeAsync(contentEncoding.ToString(), body, limit, cancellationToken).ConfigureAwait(false);
        if (decoded is null || decoded.Length > limit)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(decoded);
            var root = json.RootElement;
            if (underMappings)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("mappings", out root))
                {
                    return null;
                }
            }

            RerankIndexConfigReader.TryReadFromMappings(index, root, out _);
            return null;
        }
        catch (RerankConfigException exception)
        {
            return exception;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
