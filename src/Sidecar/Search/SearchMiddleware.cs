using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Rerank.IngestPipeline.Contracts;
using Rerank.IngestPipeline.Writes;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Search.Requests;
using Rerank.Sidecar.Writes;

namespace Rerank.Sidecar.Search;

/// <summary>
/// Intercepts <c>GET|POST /{target}/_search</c> (docs/search.md "Interception"): reads the body (bounded, decoded),
/// looks up the target's <c>_meta.rerank</c> with the caller's credentials, plans the search and runs it with
/// <see cref="RerankSearch"/>; whatever cannot be reranked goes on to the forwarder (<paramref name="next"/>) with the
/// body and query string it must have and the <c>X-Rerank</c> header that says why.
/// </summary>
/// <remarks>Nothing escapes for bad input or a failing model: an unexpected error forwards the user's request.</remarks>
internal sealed partial class SearchMiddleware(
    RequestDelegate next,
    IIndexConfigSource configs,
    RerankSearch search,
    SidecarOptions options,
    SidecarMetrics metrics,
    TimeProvider time,
    ILogger<SearchMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = SearchRoute.Match(request.Method, request.Path);
        if (target is null)
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path.Value + request.QueryString.Value);
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? rawTarget : rawTarget[..query];
        var (outcome, reason) = await InterceptAsync(context, target, rawPath);
        metrics.Search(outcome, reason, time.GetElapsedTime(started));
    }

    private async Task<(string Outcome, string Reason)> InterceptAsync(HttpContext context, string target, string rawPath)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        RerankIndexConfig? config;
        var configError = false;
        try
        {
            config = await configs.GetAsync(target, authorization, context.RequestAborted);
        }
        catch (RerankConfigException exception)
        {
            Log.InvalidConfig(logger, target, exception.Message);
            config = null;
            configError = true;
        }

        // The body as sent, bounded; then decoded (bounded too). What cannot be read goes on as it came.
        var enabled = config is not null || configError;
        var limit = options.Search.MaxSearchBodyBytes;
        var raw = await RequestBodies.ReadAsync(request.Body, limit, context.RequestAborted);
        if (raw.Length > limit)
        {
            Log.BodyTooLarge(logger, limit);
            request.Body = new PrefixedStream(raw, request.Body);
            return await ForwardUntouchedAsync(context, enabled, SkipReasons.BodyTooLarge);
        }

        request.Body = new MemoryStream(raw, writable: false);
        var decoded = await RequestBodies.DecodeAsync(request.Headers.ContentEncoding.ToString(), raw, limit, context.RequestAborted);
        if (decoded is null)
        {
            // A coding the sidecar does not read, or a broken one: the cluster answers it.
            return await ForwardUntouchedAsync(context, enabled, SkipReasons.InvalidBody);
        }

        if (decoded.Length > limit)
        {
            Log.BodyTooLarge(logger, limit);
            return await ForwardUntouchedAsync(context, enabled, SkipReasons.BodyTooLarge);
        }

        ReadOnlyMemory<byte> body = decoded;
        try
        {
            if (configError || config is null)
            {
                // Only a body that names "ext" can carry ext.rerank: others are not parsed.
                var stripped = body.Span.IndexOf("\"ext\""u8) < 0 ? null : SearchRequestPlanner.StripExtension(body);
                if (configError)
                {
                    return await ForwardAsync(context, rawPath, stripped ?? body, null, SearchOutcomes.Fallback, SearchOutcomes.ConfigError);
                }

                if (stripped is null)
                {
                    // Not enabled and nothing of ours in it: untouched (the bytes as sent) and invisible.
                    return await ForwardUntouchedAsync(context, enabled: false, SkipReasons.NotEnabled);
                }

                return await ForwardAsync(context, rawPath, stripped.Value, null, SearchOutcomes.Skipped, SkipReasons.NotEnabled);
            }

            var plan = SearchRequestPlanner.Plan(new SearchRequest(target, request.QueryString.Value ?? string.Empty, body), config);
            switch (plan)
            {
                case SearchPlanResult.Invalid invalid:
                    await ElasticsearchError.WriteAsync(context, invalid.Status, invalid.Type, invalid.Reason, context.RequestAborted);
                    return ("invalid", invalid.Type);
                case SearchPlanResult.Skip skip:
                    return await ForwardAsync(context, rawPath, skip.Body, skip.QueryString, SearchOutcomes.Skipped, skip.Reason);
                case SearchPlanResult.Rerank rerank when AsksForAnotherFormat(request):
                    return await ForwardAsync(
                        context, rawPath, rerank.Plan.PassThroughBody, rerank.Plan.PassThroughQueryString, SearchOutcomes.Skipped, SkipReasons.Format);
                case SearchPlanResult.Rerank rerank:
                    var fallback = await search.ExecuteAsync(context, rawPath, rerank.Plan, config);
                    if (fallback is null)
                    {
                        // Answered: applied, or the first stage's own error (fallback:upstream_error).
                        var answered = context.Response.Headers[SearchOutcomes.Header].ToString().Split(':', 2);
                        if (answered[0] == SearchOutcomes.Fallback)
                        {
                            Log.FellBack(logger, target, answered[1]);
                        }

                        return (answered[0], answered.Length > 1 ? answered[1] : string.Empty);
                    }

                    Log.FellBack(logger, target, fallback);
                    return await ForwardAsync(context, rawPath, rerank.Plan.PassThroughBody, rerank.Plan.PassThroughQueryString, SearchOutcomes.Fallback, fallback);
                default:
                    throw new InvalidOperationException($"unknown plan {plan.GetType().Name}");
            }
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // A bug, not the user's input: the user's request goes on, as the cluster would answer it.
            Log.Unexpected(logger, target, exception);
            context.Response.Clear();
            ReadOnlyMemory<byte> forward = body;
            try
            {
                forward = SearchRequestPlanner.StripExtension(body) ?? body;
            }
            catch (Exception)
            {
                // Keep the body as it came.
            }

            return await ForwardAsync(context, rawPath, forward, null, SearchOutcomes.Fallback, SearchOutcomes.InternalError);
        }
    }

    /// <summary>
    /// True when the client asks for a response in another format than JSON, which Elasticsearch gives: the
    /// <c>format</c> parameter, or an <c>Accept</c> naming YAML, CBOR or SMILE.
    /// </summary>
    private static bool AsksForAnotherFormat(HttpRequest request)
    {
        if (QueryStringParameters.Parse(request.QueryString.Value ?? string.Empty).Get("format") is { } format
            && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var accept = request.Headers.Accept.ToString();
        return accept.Contains("yaml", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("cbor", StringComparison.OrdinalIgnoreCase)
            || accept.Contains("smile", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Forwards the request with <paramref name="body"/> (when <paramref name="replaceBody"/>) and, when given,
    /// <paramref name="queryString"/> (the path kept byte for byte), adding <c>X-Rerank: outcome:reason</c>.
    /// </summary>
    private async Task<(string Outcome, string Reason)> ForwardAsync(
        HttpContext context, string? rawPath, ReadOnlyMemory<byte>? body, string? queryString, string? outcome, string? reason, bool replaceBody = true)
    {
        var request = context.Request;
        if (replaceBody && body is { } bytes)
        {
            request.Body = new MemoryStream(bytes.ToArray(), writable: false);
            MarkDecoded(request, bytes.Length);
        }

        if (queryString is not null && rawPath is not null)
        {
            var feature = context.Features.Get<IHttpRequestFeature>();
            if (feature is not null)
            {
                feature.RawTarget = rawPath + queryString;
            }

            request.QueryString = new QueryString(queryString.Length == 0 ? null : queryString);
        }

        if (outcome is not null)
        {
            var value = outcome + ":" + reason;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[SearchOutcomes.Header] = value;
                return Task.CompletedTask;
            });
        }

        await next(context);
        return (outcome ?? SearchOutcomes.Skipped, reason ?? SkipReasons.NotEnabled);
    }

    private static void MarkDecoded(HttpRequest request, long? length)
    {
        request.Headers.Remove(HeaderNames.ContentEncoding);
        request.Headers.Remove(HeaderNames.TransferEncoding);
        request.ContentLength = length;
        if (length is null)
        {
            request.Headers.TransferEncoding = "chunked";
        }
    }

    /// <summary>The request as it came (its body already buffered in <c>Request.Body</c>); the header only for an enabled index.</summary>
    private async Task<(string Outcome, string Reason)> ForwardUntouchedAsync(HttpContext context, bool enabled, string reason)
    {
        if (!enabled)
        {
            await next(context);
            return (SearchOutcomes.Skipped, SkipReasons.NotEnabled);
        }

        return await ForwardAsync(context, null, null, null, SearchOutcomes.Skipped, reason, replaceBody: false);
    }
}
