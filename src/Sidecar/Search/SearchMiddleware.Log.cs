using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Search;

internal sealed partial class SearchMiddleware
{
    /// <summary>Event ids 3100-3119 of the search path's 3100-3199 (docs/search.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Search of [{Target}] not reranked: invalid _meta.rerank: {Reason}")]
        public static partial void InvalidConfig(ILogger logger, string target, string reason);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Search body over {Limit} bytes forwarded untouched")]
        public static partial void BodyTooLarge(ILogger logger, int limit);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Search of [{Target}] fell back to the first stage: {Reason}")]
        public static partial void FellBack(ILogger logger, string target, string reason);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Search of [{Target}] failed in the sidecar; the request was forwarded as it is")]
        public static partial void Unexpected(ILogger logger, string target, Exception exception);
    }
}
