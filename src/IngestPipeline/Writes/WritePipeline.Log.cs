using Microsoft.Extensions.Logging;

namespace Rerank.IngestPipeline.Writes;

public sealed partial class WritePipeline
{
    /// <summary>Event ids 4010-4029 (the ingest pipeline's range is 4001-4999; docs/write-path.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Bulk rewritten: {Items} items, {Rewritten} rewritten, {Encoded} encoded, {Stale} stale, {Untouched} untouched")]
        public static partial void BulkRewritten(ILogger logger, int items, int rewritten, int encoded, int stale, int untouched);

        [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Model {ModelId} is not loaded; {Count} documents are written stale (model_not_loaded)")]
        public static partial void ModelNotLoaded(ILogger logger, string modelId, int count);

        [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "A bulk action line is malformed; the rest of the body is forwarded unchanged for the cluster to answer")]
        public static partial void MalformedAction(ILogger logger);

        [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "A bulk line is longer than {MaxLineBytes} bytes; the rest of the body is forwarded unchanged")]
        public static partial void LineTooLong(ILogger logger, int maxLineBytes);
    }
}
