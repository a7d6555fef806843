using System.Diagnostics.Metrics;

namespace Rerank.IngestPipeline.Diagnostics;

/// <summary>
/// The write path's instruments, on meter <see cref="MeterName"/> (OpenTelemetry-style names, durations in seconds):
/// <c>rerank.ingest.documents.encoded</c>, <c>rerank.ingest.encode.duration</c>, <c>rerank.ingest.encode.batch_size</c>,
/// <c>rerank.ingest.documents.stale</c> (tag <c>reason</c>), <c>rerank.ingest.documents.reused</c> and
/// <c>rerank.ingest.documents.passed_through</c>. Thread-safe; the meter factory owns the meter.
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Rerank.IngestPipeline";

    private readonly Counter<long> _encoded;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _stale;
    private readonly Counter<long> _reused;
    private readonly Counter<long> _passedThrough;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _encoded = meter.CreateCounter<long>("rerank.ingest.documents.encoded", "{document}", "Passages encoded at write time.");
        _batchDuration = meter.CreateHistogram<double>(
            "rerank.ingest.encode.duration", "s", "Duration of one model call on a batch of passages.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _batchSize = meter.CreateHistogram<int>(
            "rerank.ingest.encode.batch_size", "{document}", "Passages per model call.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _stale = meter.CreateCounter<long>("rerank.ingest.documents.stale", "{document}", "Documents written without current vectors, by reason.");
        _reused = meter.CreateCounter<long>("rerank.ingest.documents.reused", "{document}", "Documents whose incoming vectors matched their text and model, kept without encoding.");
        _passedThrough = meter.CreateCounter<long>("rerank.ingest.documents.passed_through", "{document}", "Write items forwarded unchanged (not an enabled index, no text change, unparseable).");
    }

    public void Encoded(int count) => _encoded.Add(count);

    public void Batch(int size, TimeSpan duration)
    {
        _batchSize.Record(size);
        _batchDuration.Record(duration.TotalSeconds);
    }

    public void Stale(string reason) => _stale.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Reused() => _reused.Add(1);

    public void PassedThrough(int count = 1) => _passedThrough.Add(count);
}
