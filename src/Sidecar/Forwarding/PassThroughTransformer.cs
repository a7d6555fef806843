using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Rerank.Sidecar.Forwarding;

/// <summary>
/// Copies the request as the client sent it: YARP's empty transformer (every header, Authorization included, and no
/// X-Forwarded-*), the request target byte for byte as it arrived (no re-encoding of the path or query), and the
/// upstream's own authority as Host (hosted clusters route on it).
/// </summary>
internal sealed class PassThroughTransformer : HttpTransformer
{
    public static readonly PassThroughTransformer Instance = new();

    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = null;
        var rawTarget = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is { Length: > 0 } && rawTarget[0] == '/')
        {
            // PORT NOTE: YARP rebuilds the target from the decoded path; Elasticsearch ids may hold %2F and friends, so
            // the bytes the client sent go upstream unchanged.
            proxyRequest.RequestUri = new Uri(destinationPrefix + rawTarget, Verbatim);
        }
    }
}
