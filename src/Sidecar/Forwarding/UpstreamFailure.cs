using System.Net.Sockets;

namespace Rerank.Sidecar.Forwarding;

/// <summary>How an upstream request failed, and the status and Elasticsearch-shaped error the client gets for it.</summary>
internal static class UpstreamFailure
{
    public const string Connect = "connect";
    public const string Timeout = "timeout";
    public const string Other = "other";

    /// <summary>connect when no connection could be made (refused, unreachable, name not found, connect timeout), else other.</summary>
    public static string Classify(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                    return Connect;
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown }:
                    // A connection was made and then failed (reset, ended early, bad framing): the upstream's fault.
                    return Other;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TimedOut }:
                    return Connect;
                case TimeoutException:
                    // SocketsHttpHandler.ConnectTimeout surfaces as a TimeoutException: the upstream is unreachable.
                    // Callers report timeouts of a connected request themselves (YARP's RequestTimedOut, their own tokens).
                    return Connect;
            }
        }

        return Other;
    }

    public static int Status(string kind) => kind switch
    {
        Connect => 503,
        Timeout => 504,
        _ => 502,
    };

    public static string Type(string kind) => kind switch
    {
        Connect => "connect_exception",
        Timeout => "timeout_exception",
        _ => "upstream_exception",
    };

    public static string Reason(string kind, string upstream, Exception? exception) => kind switch
    {
        Connect => $"cannot connect to the upstream [{upstream}]: {Describe(exception)}",
        Timeout => $"the upstream [{upstream}] did not answer in time",
        _ => $"the upstream [{upstream}] failed: {Describe(exception)}",
    };

    private static string Describe(Exception? exception)
    {
        // The innermost message says most (e.g. "Connection refused"); exception messages carry no request content.
        var innermost = exception;
        while (innermost?.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost?.Message ?? "no response";
    }
}
