using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rerank.Sidecar.Diagnostics;
using Rerank.Sidecar.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace Rerank.Sidecar.Forwarding;

/// <summary>
/// The end of the pipeline: sends the request upstream with YARP's <see cref="IHttpForwarder"/> and streams the answer
/// back, both bodies untouched (no decompression, no buffering).
/// </summary>
/// <remarks>
/// A failure before the answer started becomes an Elasticsearch-shaped error: 503 when no connection could be made, 504
/// when the upstream went quiet for longer than the activity timeout, 502 otherwise. A failure after it started can only
/// abort the connection (YARP does so), and a client that went away is not an error. Thread-safe.
/// </remarks>
internal sealed partial class UpstreamForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamClient _upstream;
    private readonly SidecarMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ForwarderRequestConfig _config;

    public UpstreamForwarder(IHttpForwarder forwarder, UpstreamClient upstream, SidecarOptions options, SidecarMetrics metrics, TimeProvider time, ILogger<UpstreamForwarder> logger)
    {
        _forwarder = forwarder;
        _upstream = upstream;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _config = new ForwarderRequestConfig
        {
            ActivityTimeout = options.UpstreamActivityTimeout,
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // Kestrel may have no body-size limit of its own here: the cluster enforces http.max_content_length.
            AllowResponseBuffering = false,
        };
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var error = await _forwarder.SendAsync(context, _upstream.Prefix, _upstream.Invoker, _config, PassThroughTransformer.Instance, context.RequestAborted).ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            await OnErrorAsync(context, error).ConfigureAwait(false);
        }

        _metrics.Forwarded(context.Request.Method, context.Response.StatusCode, _time.GetElapsedTime(started));
    }

    private async Task OnErrorAsync(HttpContext context, ForwarderError error)
    {
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            || context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer and nothing wrong upstream.
            Log.ClientCanceled(_logger, context.Request.Method, error);
            return;
        }

        if (error is ForwarderError.RequestBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeResponseClient)
        {
            // The client's side of the connection failed (e.g. a truncated body): not the upstream's fault.
            Log.ClientFailed(_logger, context.Request.Method, error, exception);
            return;
        }

        var kind = error == ForwarderError.RequestTimedOut ? UpstreamFailure.Timeout : UpstreamFailure.Classify(exception);
        _metrics.UpstreamError(kind, "forward");
        Log.UpstreamFailed(_logger, context.Request.Method, _upstream.Prefix, error, kind, exception);
        if (context.Response.HasStarted)
        {
            return;
        }

        // YARP set a status and left the body empty; the client gets the error it can read.
        context.Response.Headers.Clear();
        await ElasticsearchError.WriteAsync(
            context, UpstreamFailure.Status(kind), UpstreamFailure.Type(kind), UpstreamFailure.Reason(kind, _upstream.Prefix, exception), CancellationToken.None).ConfigureAwait(false);
    }
}
