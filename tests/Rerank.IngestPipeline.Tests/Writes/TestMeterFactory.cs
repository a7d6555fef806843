using System.Diagnostics.Metrics;

namespace Rerank.IngestPipeline.Tests.Writes;

/// <summary>An <see cref="IMeterFactory"/> that records the long counters it creates' measurements, by instrument and tags.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(string Instrument, long Value, string Tags)> _measurements = [];

    public TestMeterFactory()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var text = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (_lock)
            {
                _measurements.Add((instrument.Name, value, text));
            }
        });
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    /// <summary>The sum of a counter's measurements, optionally only those with exactly <paramref name="tags"/> ("k=v").</summary>
    public long Sum(string instrument, string? tags = null)
    {
        lock (_lock)
        {
            return _measurements.Where(m => m.Instrument == instrument && (tags is null || m.Tags == tags)).Sum(m => m.Value);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
