using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Diagnostics;

internal sealed partial class HealthEndpoint
{
    /// <summary>Event ids 3081-3089 (docs/sidecar.md, "Logs").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3081, Level = LogLevel.Warning, Message = "Health: the upstream [{Upstream}] does not answer ({Kind})")]
        public static partial void UpstreamDown(ILogger logger, string upstream, string kind, Exception exception);
    }
}
