using Microsoft.Extensions.Logging;

namespace Rerank.LuceneBaseline.Engine.Store;

internal sealed partial class EngineIndex
{
    /// <summary>Event ids 2101-2119 (docs/decisions.md, "Log event ids").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Scheduled refresh of index [{Index}] failed; searches keep the last refreshed view")]
        public static partial void RefreshFailed(ILogger logger, string index, Exception exception);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Commit of index [{Index}] failed; the writes it should have made durable are not acknowledged")]
        public static partial void CommitFailed(ILogger logger, string index, Exception exception);
    }
}
