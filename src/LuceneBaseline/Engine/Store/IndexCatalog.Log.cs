using Microsoft.Extensions.Logging;

namespace Rerank.LuceneBaseline.Engine.Store;

internal sealed partial class IndexCatalog
{
    /// <summary>Event ids 2121-2139 (docs/decisions.md, "Log event ids").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 2121, Level = LogLevel.Error, Message = "Delete of index [{Index}] refused: its delete marker [{Marker}] cannot be written; the index stays open")]
        public static partial void DeleteRefused(ILogger logger, string index, string marker, Exception exception);

        [LoggerMessage(EventId = 2122, Level = LogLevel.Error, Message = "The delete marker [{Marker}] of a refused delete cannot be removed; the index will be deleted at the next start")]
        public static partial void DeleteMarkerNotRemoved(ILogger logger, string marker, Exception exception);

        [LoggerMessage(EventId = 2123, Level = LogLevel.Warning, Message = "The folder [{Folder}] of a deleted index cannot be removed now; the next start removes it")]
        public static partial void DeleteUnfinished(ILogger logger, string folder, Exception exception);

        [LoggerMessage(EventId = 2124, Level = LogLevel.Information, Message = "Finished the delete of the index in [{Folder}], acknowledged before the last stop")]
        public static partial void DeleteFinishedAtStart(ILogger logger, string folder);
    }
}
