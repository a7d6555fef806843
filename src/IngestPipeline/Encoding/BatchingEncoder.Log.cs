using Microsoft.Extensions.Logging;

namespace Rerank.IngestPipeline.Encoding;

internal sealed partial class BatchingEncoder
{
    /// <summary>Event ids 4001-4009 (the ingest pipeline's range is 4001-4999; docs/write-path.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Encoded a batch of {Count} passages with model {ModelId} in {ElapsedMs} ms")]
        public static partial void BatchEncoded(ILogger logger, string modelId, int count, double elapsedMs);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Model {ModelId} failed on a batch of {Count} passages; they are written stale (model_error)")]
        public static partial void ModelFailed(ILogger logger, string modelId, int count, Exception exception);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Encode queue of model {ModelId} is full ({Capacity} texts); {Count} passages are written stale (queue_full)")]
        public static partial void QueueFull(ILogger logger, string modelId, int count, int capacity);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "{Count} passages for model {ModelId} were not encoded within {TimeoutMs} ms; they are written stale (timeout)")]
        public static partial void EncodeTimedOut(ILogger logger, string modelId, int count, double timeoutMs);

        [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Model {ModelId} has been on one batch longer than {TimeoutMs} ms; {Count} passages are written stale (timeout) without queueing")]
        public static partial void ModelStuck(ILogger logger, string modelId, int count, double timeoutMs);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Critical, Message = "The encode loop of model {ModelId} stopped unexpectedly")]
        public static partial void LoopFailed(ILogger logger, string modelId, Exception exception);
    }
}
