namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// What a date format read: an instant (<see cref="Instant"/>, epoch milliseconds) when the text fixes one (an epoch
/// number, or a date with an offset or zone), else a local date-time (<see cref="Local"/>) that the caller places in
/// its time zone (UTC when indexing; the query's <c>time_zone</c> for bounds).
/// </summary>
internal readonly record struct ParsedDate(long? Instant, DateTime Local)
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The instant, a local date-time being taken as UTC.</summary>
    public long UtcEpochMillis => Instant ?? EpochMillis(Local);

    /// <summary>Epoch milliseconds of a date-time read as UTC, rounded down (Java's <c>Instant.toEpochMilli</c>).</summary>
    public static long EpochMillis(DateTime utc)
    {
        var ticks = (DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) - Epoch).Ticks;
        return Math.DivRem(ticks, TimeSpan.TicksPerMillisecond) is var (millis, rest) && rest < 0 ? millis - 1 : millis;
    }
}
