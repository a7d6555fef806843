using Microsoft.Extensions.Logging;

namespace Rerank.Sidecar.Admin;

internal sealed partial class AdminEndpoints
{
    /// <summary>Event ids 3801-3809 (docs/sidecar.md, "Logs"). The key itself is never logged.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 3801, Level = LogLevel.Warning, Message = "Admin: {Method} {Path} refused, the admin key was {Problem} (from {Remote})")]
        public static partial void Refused(ILogger logger, string method, string path, string problem, string remote);

        [LoggerMessage(EventId = 3802, Level = LogLevel.Information, Message = "Admin: models directory rescanned on request ({Loaded} bundles serving, {Failed} with an error)")]
        public static partial void Reloaded(ILogger logger, int loaded, int failed);
    }
}
