using System.Collections.Concurrent;

namespace Rerank.Sidecar.Search;

/// <summary>
/// One circuit breaker per model id (docs/search.md, <c>breaker_open</c>): <see cref="SearchOptions.BreakerFailures"/>
/// failures in a row (errors or budget overruns) open it for <see cref="SearchOptions.BreakerOpenDuration"/>; then one
/// search at a time may try the model (half open): a success closes it, a failure opens it again.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ModelBreaker(SearchOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>True when a search may use the model now (closed, or the one trial of a half-open breaker).</summary>
    public bool TryEnter(string modelId) => TryEnter(modelId, out _);

    /// <summary>As <see cref="TryEnter(string)"/>; <paramref name="trial"/> is true when the search holds the half-open trial.</summary>
    public bool TryEnter(string modelId, out bool trial)
    {
        trial = false;
        var state = _states.GetOrAdd(modelId, static _ => new State());
        lock (state)
        {
            if (state.OpenUntil is not { } until)
            {
                return true;
            }

            if (time.GetUtcNow() < until || state.TrialInFlight)
            {
                return false;
            }

            state.TrialInFlight = true;
            trial = true;
            return true;
        }
    }

    /// <summary>The model answered in time: the breaker closes and the count restarts.</summary>
    public void Succeeded(string modelId)
    {
        var state = _states.GetOrAdd(modelId, static _ => new State());
        lock (state)
        {
            state.Failures = 0;
            state.OpenUntil = null;
            state.TrialInFlight = false;
        }
    }

    /// <summary>The model threw or overran the budget; returns true when this failure opened the breaker.</summary>
    public bool Failed(string modelId)
    {
        var state = _states.GetOrAdd(modelId, static _ => new State());
        lock (state)
        {
            state.Failures++;
            var open = state.TrialInFlight || state.Failures >= options.BreakerFailures;
            state.TrialInFlight = false;
            if (open)
            {
                state.OpenUntil = time.GetUtcNow() + options.BreakerOpenDuration;
            }

            return open;
        }
    }

    /// <summary>
    /// A search that entered did not reach the model (e.g. the first stage failed, or its client left): the trial it
    /// holds (<paramref name="trial"/>, from <see cref="TryEnter(string, out bool)"/>) is given back; a search that
    /// entered while the breaker was closed holds none, and leaves another search's trial alone.
    /// </summary>
    public void Abandoned(string modelId, bool trial = true)
    {
        if (trial && _states.TryGetValue(modelId, out var state))
        {
            lock (state)
            {
                state.TrialInFlight = false;
            }
        }
    }

    private sealed class State
    {
        public int Failures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }

        public bool TrialInFlight { get; set; }
    }
}
