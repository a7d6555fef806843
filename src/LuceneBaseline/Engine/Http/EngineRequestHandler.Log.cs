using Microsoft.Extensions.Logging;

namespace Rerank.LuceneBaseline.Engine.Http;

internal sealed partial class EngineRequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Unhandled error answering {Method} {Path}")]
        public static partial void UnhandledError(ILogger logger, string method, string path, Exception exception);
    }
}
