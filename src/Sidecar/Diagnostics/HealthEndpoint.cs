using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.Hosting;
using Rerank.Sidecar.Models;

namespace Rerank.Sidecar.Diagnostics;

/// <summary>
/// <c>GET /_rerank/health</c>: 200 <c>{"status":"ready",...}</c> when the upstream answers <c>GET /</c> within
/// <see cref="SidecarOptions.HealthTimeout"/> (any HTTP status counts: a secured cluster answers 401 without
/// credentials) and every bundle directory serves a model; else 503 <c>{"status":"not_ready","reasons":[...]}</c>.
/// A failed reload whose last good model still serves is listed under <c>models</c> with its error, and stays ready.
/// </summary>
internal sealed partial class HealthEndpoint(UpstreamClient upstream, ModelRegistry models, SidecarOptions options, SidecarMetrics metrics, ILogger<HealthEndpoint> logger)
{
    public const string Path = "/_rerank/health";

    public async Task InvokeAsync(HttpContext context)
    {
        var reasons = new List<string>();
        var upstreamStatus = await ProbeUpstreamAsync(context.RequestAborted).ConfigureAwait(false);
        if (upstreamStatus.Problem is { } problem)
        {
            reasons.Add(problem);
        }

        var status = models.Status;
        foreach (var model in status)
        {
            if (model.ModelId is null)
            {
                reasons.Add($"bundle [{model.Directory}] failed: {model.Error ?? "not loaded"}");
            }
        }

        var ready = reasons.Count == 0;
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", ready ? "ready" : "not_ready");
            json.WriteStartObject("upstream");
            json.WriteString("url", upstream.Prefix);
            json.WriteBoolean("reachable", upstreamStatus.Problem is null);
            if (upstreamStatus.StatusCode is { } code)
            {
                json.WriteNumber("status", code);
            }

            json.WriteEndObject();
            ModelStatusJson.WriteArray(json, "models", status);
            json.WriteStartArray("reasons");
            foreach (var reason in reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<(string? Problem, int? StatusCode)> ProbeUpstreamAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HealthTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, upstream.Prefix + "/")
            {
                Version = System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await upstream.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return (null, (int)response.StatusCode);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var kind = exception is OperationCanceledException ? UpstreamFailure.Timeout : UpstreamFailure.Classify(exception);
            metrics.UpstreamError(kind, "health");
            Log.UpstreamDown(logger, upstream.Prefix, kind, exception);
            return (kind == UpstreamFailure.Timeout
                ? $"upstream [{upstream.Prefix}] did not answer GET / within [{options.HealthTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s]"
                : $"upstream [{upstream.Prefix}] is down: {exception.GetBaseException().Message}", null);
        }
    }
}
