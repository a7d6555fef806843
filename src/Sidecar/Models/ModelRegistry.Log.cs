using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Models;

internal sealed partial class ModelRegistry
{
    /// <summary>Event ids 3061-3079 (docs/sidecar.md, "Logs").</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3061, Level = LogLevel.Information, Message = "Loaded model [{ModelId}] from [{Directory}] (replacing [{Previous}])")]
        public static partial void Loaded(ILogger logger, string directory, string modelId, string? previous);

        [LoggerMessage(EventId = 3062, Level = LogLevel.Error, Message = "The bundle in [{Directory}] did not load; [{Serving}] keeps serving: {Error}")]
        public static partial void LoadFailed(ILogger logger, string directory, string serving, string error, Exception? exception);

        [LoggerMessage(EventId = 3063, Level = LogLevel.Information, Message = "Unloaded model [{ModelId}]: [{Directory}] is gone")]
        public static partial void Unloaded(ILogger logger, string directory, string modelId);

        [LoggerMessage(EventId = 3064, Level = LogLevel.Warning, Message = "Scanning the models directory [{Directory}] failed; the loaded models keep serving")]
        public static partial void ScanFailed(ILogger logger, string directory, Exception exception);
    }
}
