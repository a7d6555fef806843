using System.Net;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Forwarding;

/// <summary>
/// The one connection pool to the upstream, shared by the forwarder and the sidecar's own requests (mapping lookups,
/// health). Plain HTTP/1.1 client settings: no proxy, no redirects, no decompression, no cookies, no trace headers, so
/// what passes through is what the client sent and what the cluster answered.
/// </summary>
/// <remarks>Thread-safe. Owned by the host's service provider, which disposes it.</remarks>
internal sealed class UpstreamClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public UpstreamClient(SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BaseAddress = options.Upstream;
        Prefix = options.Upstream.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.UpstreamConnectTimeout,
            // Nothing the client did not send: no traceparent/tracestate of the sidecar's own.
            ActivityHeadersPropagator = null,
            // A cluster behind DNS that moves (cloud deployments) is picked up again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        Http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = options.Upstream, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The upstream's URL as configured.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The upstream's URL without its trailing slash: forwarded request targets are appended to it.</summary>
    public string Prefix { get; }

    /// <summary>For <c>IHttpForwarder</c>.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For the sidecar's own requests; callers bound each request with a token (the client has no timeout).</summary>
    public HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }
}
