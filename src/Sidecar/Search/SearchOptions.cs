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

    /// <summary>
    /// How many model calls (query encodings and window scorings) may run at once, across models. A call abandoned at a
    /// search's budget keeps its slot until it really ends, so a flood of searches waits (and falls back at its budget)
    /// instead of piling up work the model can never finish. Default: the processor count.
    /// </summary>
    public int MaxConcurrentModelCalls { get; init; } = Environment.ProcessorCount;

    /// <summary>Every problem with these options, each naming its option (empty when they are valid).</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxSearchBodyBytes < 1)
        {
            yield return $"Search.MaxSearchBodyBytes must be at least 1, got {MaxSearchBodyBytes}";
        }

        if (MaxUpstreamResponseBytes < 1)
        {
            yield return $"Search.MaxUpstreamResponseBytes must be at least 1, got {MaxUpstreamResponseBytes}";
        }

        if (BreakerFailures < 1)
        {
            yield return $"Search.BreakerFailures must be at least 1, got {BreakerFailures}";
        }

        if (BreakerOpenDuration <= TimeSpan.Zero)
        {
            yield return $"Search.BreakerOpenDuration must be positive, got {BreakerOpenDuration}";
        }

        if (SinglePhaseMaxWindow < 0)
        {
            yield return $"Search.SinglePhaseMaxWindow must be 0 or more, got {SinglePhaseMaxWindow}";
        }

        if (MaxConcurrentModelCalls < 1)
        {
            yield return $"Search.MaxConcurrentModelCalls must be at least 1, got {MaxConcurrentModelCalls}";
        }

        if (AdminKey is not null && string.IsNullOrWhiteSpace(AdminKey))
        {
            yield return "Search.AdminKey must not be empty (null turns the admin endpoints off)";
        }
    }

    /// <summary>The key that unlocks <c>/_rerank/_admin/...</c> (header <c>X-Rerank-Admin-Key</c>); null turns the admin endpoints off.</summary>
    public string? AdminKey { get; init; }
}
