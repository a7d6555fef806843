using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Rerank.Sidecar.Forwarding;

internal sealed partial class UpstreamForwarder
{
    /// <summary>Event ids 3001-3019 (docs/sidecar.md, "Logs").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Forwarding a {Method} request to [{Upstream}] failed ({Error}, {Kind})")]
        public static partial void UpstreamFailed(ILogger logger, string method, string upstream, ForwarderError error, string kind, Exception? exception);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "The client of a forwarded {Method} request went away ({Error})")]
        public static partial void ClientCanceled(ILogger logger, string method, ForwarderError error);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "The client's side of a forwarded {Method} request failed ({Error})")]
        public static partial void ClientFailed(ILogger logger, string method, ForwarderError error, Exception? exception);
    }
}
