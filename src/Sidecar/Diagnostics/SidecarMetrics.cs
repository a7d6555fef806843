using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rerank.Sidecar.Diagnostics;

/// <summary>
/// The sidecar's instruments, on meter <c>Rerank.Sidecar</c> (docs/sidecar.md, "Metrics"). OpenTelemetry-style names;
/// durations are histograms in seconds; tags have few values.
/// </summary>
/// <remarks>Thread-safe. The meter belongs to the <see cref="IMeterFactory"/>, which disposes it.</remarks>
internal sealed class SidecarMetrics
{
    public const string MeterName = "Rerank.Sidecar";
    public const string RequestsForwardedName = "rerank.sidecar.requests.forwarded";
    public const string ForwardDurationName = "rerank.sidecar.forward.duration";
    public const string UpstreamErrorsName = "rerank.sidecar.upstream.errors";
    public const string IndexConfigLookupsName = "rerank.sidecar.index_config.lookups";
    public const string IndexConfigFetchDurationName = "rerank.sidecar.index_config.fetch.duration";
    public const string IndexConfigInvalidationsName = "rerank.sidecar.index_config.invalidations";
    public const string IndexConfigRejectedName = "rerank.sidecar.index_config.rejected";
    public const string ModelReloadsName = "rerank.sidecar.model.reloads";
    public const string ModelLoadDurationName = "rerank.sidecar.model.load.duration";
    public const string SearchRequestsName = "rerank.sidecar.search.requests";
    public const string SearchDurationName = "rerank.sidecar.search.duration";
    public const string SearchFirstStageDurationName = "rerank.sidecar.search.first_stage.duration";
    public const string SearchEncodeDurationName = "rerank.sidecar.search.encode.duration";
    public const string SearchScoreDurationName = "rerank.sidecar.search.score.duration";
    public const string SearchFetchDurationName = "rerank.sidecar.search.fetch.duration";
    public const string SearchCandidatesName = "rerank.sidecar.search.candidates";
    public const string SearchMissingFractionName = "rerank.sidecar.search.missing_fraction";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    };

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _forwarded;
    private readonly Histogram<double> _forwardDuration;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _configLookups;
    private readonly Histogram<double> _configFetchDuration;
    private readonly Counter<long> _configInvalidations;
    private readonly Counter<long> _configRejected;
    private readonly Counter<long> _modelReloads;
    private readonly Histogram<double> _modelLoadDuration;
    private readonly Counter<long> _searches;
    private readonly Histogram<double> _searchDuration;
    private readonly Histogram<double> _firstStageDuration;
    private readonly Histogram<double> _encodeDuration;
    private readonly Histogram<double> _scoreDuration;
    private readonly Histogram<double> _fetchDuration;
    private readonly Histogram<long> _candidates;
    private readonly Histogram<double> _missingFraction;

    public SidecarMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        _forwarded = meter.CreateCounter<long>(
            RequestsForwardedName, "{request}", "Requests forwarded to the upstream, by method and the status answered.");
        _forwardDuration = meter.CreateHistogram(
            ForwardDurationName, "s", "Duration of a forwarded request, from its arrival to the end of the answer.", advice: advice);
        _upstreamErrors = meter.CreateCounter<long>(
            UpstreamErrorsName, "{error}", "Upstream failures, by kind (connect, timeout, other, status) and by who asked (forward, index_config, health).");
        _configLookups = meter.CreateCounter<long>(
            IndexConfigLookupsName, "{lookup}", "Index config lookups, by result: hit (cache), miss (fetched or joined a fetch), failed (treated as no config).");
        _configFetchDuration = meter.CreateHistogram(
            IndexConfigFetchDurationName, "s", "Duration of one GET {index}/_mapping made to learn an index's _meta.rerank.", advice: advice);
        _configInvalidations = meter.CreateCounter<long>(
            IndexConfigInvalidationsName, "{invalidation}", "Times the config cache was emptied because a request that can change mappings passed through.");
        _configRejected = meter.CreateCounter<long>(
            IndexConfigRejectedName, "{request}", "Mapping and index creations refused at the door for an invalid _meta.rerank.");
        _modelReloads = meter.CreateCounter<long>(
            ModelReloadsName, "{reload}", "Model bundle loads, by result: loaded, failed (the last good one stays), unloaded.");
        _modelLoadDuration = meter.CreateHistogram(
            ModelLoadDurationName, "s", "Duration of loading one model bundle.", advice: advice);
        _searches = meter.CreateCounter<long>(
            SearchRequestsName, "{request}", "Searches of /{target}/_search, by outcome (applied, fallback, skipped) and reason.");
        _searchDuration = meter.CreateHistogram(
            SearchDurationName, "s", "Duration of an intercepted search, from its arrival to the end of the answer, by outcome.", advice: advice);
        _firstStageDuration = meter.CreateHistogram(
            SearchFirstStageDurationName, "s", "Duration of the first-stage call of a reranked search.", advice: advice);
        _encodeDuration = meter.CreateHistogram(
            SearchEncodeDurationName, "s", "Duration of encoding a search's query (runs alongside the first stage).", advice: advice);
        _scoreDuration = meter.CreateHistogram(
            SearchScoreDurationName, "s", "Duration of scoring a search's window in one batched call.", advice: advice);
        _fetchDuration = meter.CreateHistogram(
            SearchFetchDurationName, "s", "Duration of fetching a reranked page's documents.", advice: advice);
        _candidates = meter.CreateHistogram<long>(
            SearchCandidatesName, "{candidate}", "First-stage candidates in a reranked search's window.");
        _missingFraction = meter.CreateHistogram<double>(
            SearchMissingFractionName, "1", "Fraction of a window's candidates without a usable vector.");
    }

    /// <summary>One intercepted search; <paramref name="outcome"/> is applied, fallback or skipped.</summary>
    public void Search(string outcome, string reason, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", outcome }, { "reason", reason } };
        _searches.Add(1, tags);
        _searchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void SearchFirstStage(TimeSpan duration) => _firstStageDuration.Record(duration.TotalSeconds);

    public void SearchEncode(TimeSpan duration) => _encodeDuration.Record(duration.TotalSeconds);

    public void SearchScore(TimeSpan duration) => _scoreDuration.Record(duration.TotalSeconds);

    public void SearchFetch(TimeSpan duration) => _fetchDuration.Record(duration.TotalSeconds);

    /// <summary>The window of a search that reached the model: its size and the fraction without usable vectors.</summary>
    public void SearchWindow(int candidates, double missingFraction)
    {
        _candidates.Record(candidates);
        _missingFraction.Record(missingFraction);
    }

    public void Forwarded(string method, int statusCode, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "http.request.method", KnownMethods.Contains(method) ? method : "_OTHER" },
            { "http.response.status_code", statusCode },
        };
        _forwarded.Add(1, tags);
        _forwardDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>One upstream failure.</summary>
    /// <param name="kind">connect, timeout, other or status (an HTTP error status where a success was needed).</param>
    /// <param name="source">forward, index_config or health.</param>
    public void UpstreamError(string kind, string source) =>
        _upstreamErrors.Add(1, new KeyValuePair<string, object?>("error.type", kind), new KeyValuePair<string, object?>("source", source));

    /// <summary>One config lookup; <paramref name="result"/> is hit, miss or failed.</summary>
    public void ConfigLookup(string result) => _configLookups.Add(1, new KeyValuePair<string, object?>("result", result));

    public void ConfigFetched(TimeSpan duration) => _configFetchDuration.Record(duration.TotalSeconds);

    public void ConfigInvalidated() => _configInvalidations.Add(1);

    public void ConfigRejected() => _configRejected.Add(1);

    /// <summary>One bundle (re)load; <paramref name="result"/> is loaded, failed or unloaded.</summary>
    public void ModelReload(string result, TimeSpan? duration = null)
    {
        _modelReloads.Add(1, new KeyValuePair<string, object?>("result", result));
        if (duration is { } elapsed)
        {
            _modelLoadDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", result));
        }
    }
}
