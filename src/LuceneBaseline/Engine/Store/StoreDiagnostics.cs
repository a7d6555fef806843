using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rerank.LuceneBaseline.Engine.Diagnostics;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>Where the store logs (refresh, commit and delete failures) and records its durations.</summary>
/// <param name="LoggerFactory">Creates the catalog's and the indices' loggers.</param>
/// <param name="Metrics">Write and commit durations; null records nothing.</param>
internal sealed record StoreDiagnostics(ILoggerFactory LoggerFactory, EngineMetrics? Metrics)
{
    /// <summary>Logs nothing, records nothing.</summary>
    public static StoreDiagnostics None { get; } = new(NullLoggerFactory.Instance, null);

    /// <summary>The indices' logger (category <c>Rerank.LuceneBaseline.Engine.Store.EngineIndex</c>).</summary>
    public ILogger Logger { get; } = LoggerFactory.CreateLogger<EngineIndex>();
}
