namespace Rerank.Sidecar.Search;

/// <summary>
/// Bounds and policies of the search path (docs/search.md) that belong to the sidecar rather than to an index; the
/// per-index ones (window, budget, score mode) are in the index's <c>_meta.rerank</c>.
/// </summary>
public sealed record SearchOptions
{
    /// <summary>The largest search body read to plan a rerank; a larger one is forwarded untouched (<c>skipped:body_too_large</c>). Default 1 MiB.</summary>
    public int MaxSearchBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest first-stage or fetch response read; over it the search falls back (<c>fallback:response_too_large</c>). Default 64 MiB.</summary>
    public int MaxUpstreamResponseBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Consecutive model failures (errors or budget overruns) of one model that open its circuit breaker. Default 5.</summary>
    public int BreakerFailures { get; init; } = 5;

    /// <summary>How long an open breaker answers <c>fallback:breaker_open</c> before one trial search may use the model again. Default 30 s.</summary>
    public TimeSpan BreakerOpenDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Windows up to this size are served in one upstream call (the first stage also returns the user's <c>_source</c>,
    /// highlights and fields for every candidate); larger ones fetch the page in a second call. 0 always fetches.
    /// Default 10: measured on the embedded engine (docs/search.md), one call wins up to a window of 10 and loses from 20.
    /// </summary>
    public int SinglePhaseMaxWindow { get; init; } = DefaultSinglePhaseMaxWindow;

    public const int DefaultSinglePhaseMaxWindow = 10;

    /// <summary>The key that unlocks <c>/_rerank/_admin/...</c> (header <c>X-Rerank-Admin-Key</c>); null turns the admin endpoints off.</summary>
    public string? AdminKey { get; init; }
}
