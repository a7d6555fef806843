using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.IndexConfig;

internal sealed partial class SidecarIndexConfigSource
{
    /// <summary>Event ids 3021-3039 (docs/sidecar.md, "Logs").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "The mapping of [{Index}] could not be read (upstream answered {Status}); its writes pass through without vectors")]
        public static partial void LookupRefused(ILogger logger, string index, int status);

        [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "The mapping of [{Index}] could not be read ({Kind}); its writes pass through without vectors")]
        public static partial void LookupFailed(ILogger logger, string index, string kind, Exception exception);
    }
}
