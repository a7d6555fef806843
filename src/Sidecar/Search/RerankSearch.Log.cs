using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Search;

internal sealed partial class RerankSearch
{
    /// <summary>Event ids 3120-3139 of the search path's 3100-3199 (docs/search.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3120, Level = LogLevel.Debug, Message = "Reranking a window of {Window} for the query [{Query}]")]
        public static partial void Reranking(ILogger logger, string query, int window);

        [LoggerMessage(EventId = 3121, Level = LogLevel.Information, Message = "The first stage answered {Status}; its answer is returned as it is")]
        public static partial void FirstStageError(ILogger logger, int status);

        [LoggerMessage(EventId = 3122, Level = LogLevel.Warning, Message = "The {Call} answered something that is not a search response; the search falls back")]
        public static partial void InvalidResponse(ILogger logger, string call);

        [LoggerMessage(EventId = 3123, Level = LogLevel.Information, Message = "{Missing} of {Window} candidates have no usable vector; the search falls back")]
        public static partial void MissingVectors(ILogger logger, int missing, int window);

        [LoggerMessage(EventId = 3124, Level = LogLevel.Warning, Message = "Model [{ModelId}] overran the budget of {BudgetMs} ms (breaker opened: {Opened}); the search falls back")]
        public static partial void BudgetExceeded(ILogger logger, string modelId, int budgetMs, bool opened);

        [LoggerMessage(EventId = 3125, Level = LogLevel.Error, Message = "Model [{ModelId}] failed (breaker opened: {Opened}); the search falls back")]
        public static partial void ModelFailed(ILogger logger, string modelId, bool opened, Exception exception);

        [LoggerMessage(EventId = 3126, Level = LogLevel.Warning, Message = "The page fetch answered {Status}; the search falls back")]
        public static partial void FetchError(ILogger logger, int status);

        [LoggerMessage(EventId = 3127, Level = LogLevel.Warning, Message = "A search call to the upstream failed; the search falls back")]
        public static partial void UpstreamFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3128, Level = LogLevel.Warning, Message = "An upstream answer passed {Limit} bytes; the search falls back")]
        public static partial void ResponseTooLarge(ILogger logger, int limit);
    }
}
