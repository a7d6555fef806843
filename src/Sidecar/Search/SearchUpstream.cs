using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Rerank.Sidecar.Forwarding;
using Rerank.Sidecar.Hosting;

namespace Rerank.Sidecar.Search;

/// <summary>
/// The search path's own upstream calls (first stage, page fetch): the client's method and path with a body and query
/// string of the plan's, and every header the client sent (<c>Authorization</c> and the rest) except framing, content
/// coding and <c>Accept-Encoding</c> (the sidecar reads the answer, so it asks for it uncompressed).
/// </summary>
/// <remarks>Thread-safe; shares <see cref="UpstreamClient"/>'s connection pool.</remarks>
internal sealed class SearchUpstream(UpstreamClient upstream, SidecarOptions options)
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.ContentType, HeaderNames.ContentEncoding,
        HeaderNames.TransferEncoding, HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.Upgrade, HeaderNames.TE,
        HeaderNames.Trailer, HeaderNames.ProxyConnection, HeaderNames.Expect, HeaderNames.AcceptEncoding,
    };

    private static readonly HashSet<string> NotReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.ContentLength, HeaderNames.ContentEncoding, HeaderNames.TransferEncoding, HeaderNames.Connection,
        HeaderNames.KeepAlive, HeaderNames.Trailer, HeaderNames.Upgrade,
    };

    /// <summary>
    /// Sends <paramref name="body"/> to <c>{method} {rawPath}{queryString}</c> upstream and reads the answer (bounded).
    /// </summary>
    /// <exception cref="HttpRequestException">The upstream could not be reached or broke the connection.</exception>
    public async Task<UpstreamAnswer> SendAsync(HttpRequest request, string rawPath, string queryString, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream.Prefix + rawPath + queryString, Verbatim))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, request.ContentType is { Length: > 0 } type ? type : "application/json");
        message.Content = content;
        foreach (var (name, values) in request.Headers)
        {
            if (!NotCopied.Contains(name) && !message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.UpstreamActivityTimeout);
        using var response = await upstream.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        var headers = Headers(response.Headers).Concat(Headers(response.Content.Headers)).ToList();
        var limit = options.Search.MaxUpstreamResponseBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return new UpstreamAnswer((int)response.StatusCode, headers, [], TooLarge: true);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return new UpstreamAnswer((int)response.StatusCode, headers, [], TooLarge: true);
            }

            buffer.Write(chunk, 0, read);
        }

        return new UpstreamAnswer((int)response.StatusCode, headers, buffer.ToArray(), TooLarge: false);
    }

    private static IEnumerable<KeyValuePair<string, string[]>> Headers(HttpHeaders headers) =>
        headers.NonValidated
            .Where(h => !NotReturned.Contains(h.Key))
            .Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]));
}
