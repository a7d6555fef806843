using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.IndexConfig;

internal sealed partial class MetaValidationMiddleware
{
    /// <summary>Event ids 3041-3049 (docs/sidecar.md, "Logs").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3041, Level = LogLevel.Information, Message = "Refused a mapping of [{Index}]: its _meta.rerank has {Count} problems (answered 400, not forwarded)")]
        public static partial void Rejected(ILogger logger, string index, int count);
    }
}
