using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Writes;

internal sealed partial class RerankWritesMiddleware
{
    /// <summary>Event ids 10050-10059 (the write path's range is 10000-10099, docs/write-path.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 10050, Level = LogLevel.Information, Message = "Write refused: invalid _meta.rerank of index {Index}: {Reason}")]
        public static partial void InvalidConfig(ILogger logger, string index, string reason);

        [LoggerMessage(EventId = 10051, Level = LogLevel.Information, Message = "Write body with Content-Encoding {Encoding} forwarded without vectors")]
        public static partial void EncodedBodyPassedThrough(ILogger logger, string encoding);

        [LoggerMessage(EventId = 10052, Level = LogLevel.Warning, Message = "Document body over {Limit} bytes forwarded without vectors")]
        public static partial void DocumentTooLarge(ILogger logger, int limit);

        [LoggerMessage(EventId = 10053, Level = LogLevel.Debug, Message = "Bulk rewrite stopped before the end of the body")]
        public static partial void BulkRewriteStopped(ILogger logger, Exception exception);
    }
}
