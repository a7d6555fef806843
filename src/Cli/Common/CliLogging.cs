using Microsoft.Extensions.Logging;

namespace Rerank.Cli.Common;

/// <summary>Logging for one-shot commands: warnings and errors on standard error, so stdout stays parseable output.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Warning) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options => options.SingleLine = true)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
