using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Writes;

internal sealed partial class RerankWritesMiddleware
{
    /// <summary>Event ids 3900-3909 of the sidecar's 3001-3999 (docs/write-path.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3900, Level = LogLevel.Information, Message = "Write refused: invalid _meta.rerank of index {Index}: {Reason}")]
        public static partial void InvalidConfig(ILogger logger, string index, string reason);

        [LoggerMessage(EventId = 3901, Level = LogLevel.Information, Message = "Write body with Content-Encoding {Encoding} forwarded without vectors")]
        public static partial void EncodedBodyPassedThrough(ILogger logger, string encoding);

        [LoggerMessage(EventId = 3902, Level = LogLevel.Warning, Message = "Document body over {Limit} bytes forwarded without vectors")]
        public static partial void DocumentTooLarge(ILogger logger, int limit);

        [LoggerMessage(EventId = 3903, Level = LogLevel.Debug, Message = "Bulk rewrite stopped before the end of the body")]
        public static partial void BulkRewriteStopped(ILogger logger, Exception exception);
    }
}
