using Microsoft.Extensions.Time.Testing;

namespace Rerank.LuceneBaseline.Engine.Tests.Diagnostics;

/// <summary>
/// A fake clock whose timestamp moves <see cref="Step"/> forward at every read, so a duration measured between two
/// reads is exactly one step; wall-clock time (<see cref="FakeTimeProvider.GetUtcNow"/>) and timers stay the fake's.
/// </summary>
internal sealed class SteppingClock(TimeSpan step) : FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000))
{
    private long _ticks;

    public TimeSpan Step { get; } = step;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, Step.Ticks);
}
