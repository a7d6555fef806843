using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rerank.LuceneBaseline.Engine.Diagnostics;

/// <summary>
/// The embedded engine's instruments, on meter <c>Rerank.LuceneBaseline.Engine</c> (docs/decisions.md, "Metrics").
/// Names follow OpenTelemetry's conventions; durations are histograms in seconds; every tag has few values (a route
/// template, never a raw path; a method from a fixed list; a status code; an operation name).
/// </summary>
/// <remarks>Thread-safe. The meter belongs to the <see cref="IMeterFactory"/>, which disposes it.</remarks>
internal sealed class EngineMetrics
{
    public const string MeterName = "Rerank.LuceneBaseline.Engine";
    public const string RequestDurationName = "rerank.engine.request.duration";
    public const string WriteDurationName = "rerank.engine.write.duration";
    public const string CommitDurationName = "rerank.engine.commit.duration";
    public const string SearchDurationName = "rerank.engine.search.duration";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    };

    // OpenTelemetry's advice for HTTP server durations (seconds), so a dashboard built for http.server.request.duration reads these too.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _writeDuration;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _searchDuration;

    public EngineMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets };
        _requestDuration = meter.CreateHistogram(
            RequestDurationName, "s", "Duration of the engine's HTTP requests, by method, route template and status code.", advice: advice);
        _writeDuration = meter.CreateHistogram(
            WriteDurationName, "s", "Duration of one document write applied to an index (index or delete), before its commit.", advice: advice);
        _commitDuration = meter.CreateHistogram(
            CommitDurationName, "s", "Duration of an index commit, the step that makes acknowledged writes durable.", advice: advice);
        _searchDuration = meter.CreateHistogram(
            SearchDurationName, "s", "Duration of a _search or _count over its indices (the took of the response).", advice: advice);
    }

    /// <summary>One answered HTTP request.</summary>
    /// <param name="method">The request method; one outside HTTP's common set is tagged <c>_OTHER</c>.</param>
    /// <param name="route">The matched route template (e.g. <c>/{index}/_search</c>), or null when none matched (tag left out).</param>
    /// <param name="statusCode">The status answered.</param>
    /// <param name="duration">From the request's arrival to the end of the answer.</param>
    public void RequestCompleted(string method, string? route, int statusCode, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "http.request.method", KnownMethods.Contains(method) ? method : "_OTHER" },
            { "http.response.status_code", statusCode },
        };
        if (route is not null)
        {
            tags.Add("http.route", route);
        }

        _requestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>One document write applied to an index.</summary>
    /// <param name="operation"><c>index</c> or <c>delete</c>.</param>
    /// <param name="duration">The time the write took, its per-id lock included.</param>
    public void WriteCompleted(string operation, TimeSpan duration) =>
        _writeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("rerank.engine.operation", operation));

    /// <summary>One index commit that ran (a caller that shared another's commit records nothing).</summary>
    public void CommitCompleted(TimeSpan duration) => _commitDuration.Record(duration.TotalSeconds);

    /// <summary>One <c>_search</c> or <c>_count</c>.</summary>
    /// <param name="operation"><c>search</c> or <c>count</c>.</param>
    /// <param name="timedOut">Whether some index hit the request's <c>timeout</c>.</param>
    /// <param name="duration">The time the search took.</param>
    public void SearchCompleted(string operation, bool timedOut, TimeSpan duration) =>
        _searchDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("rerank.engine.operation", operation),
            new KeyValuePair<string, object?>("rerank.engine.timed_out", timedOut));
}
