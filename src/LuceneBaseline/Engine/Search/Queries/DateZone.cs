using System.Globalization;
using System.Text.RegularExpressions;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// A time zone as Java's <c>ZoneId</c> behaves in Elasticsearch date math: a fixed offset (<c>Z</c>, <c>+01:00</c>,
/// <c>-0800</c>, <c>UTC</c>) or a region (<c>Europe/Paris</c>, through the system's IANA data). Local times in a DST gap
/// move forward by the gap; in an overlap they keep the preferred offset when it is valid, else take the earlier one,
/// as <c>ZonedDateTime.ofLocal</c> does. Immutable, thread-safe.
/// </summary>
internal sealed partial class DateZone
{
    private readonly TimeSpan _fixedOffset;
    private readonly TimeZoneInfo? _region;

    private DateZone(string id, TimeSpan fixedOffset, TimeZoneInfo? region)
    {
        Id = id;
        _fixedOffset = fixedOffset;
        _region = region;
    }

    public static DateZone Utc { get; } = new("Z", TimeSpan.Zero, null);

    public string Id { get; }

    /// <summary>Parses a <c>time_zone</c> value.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception for an id Java's <c>ZoneId.of</c> rejects.</exception>
    public static DateZone Parse(string id)
    {
        if (id is "Z" or "UTC" or "GMT" or "UT")
        {
            return new DateZone(id, TimeSpan.Zero, null);
        }

        var offsetText = id;
        foreach (var prefix in new[] { "UTC", "GMT", "UT" })
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal) && id.Length > prefix.Length && id[prefix.Length] is '+' or '-')
            {
                offsetText = id[prefix.Length..];
            }
        }

        if (offsetText.Length > 0 && offsetText[0] is '+' or '-')
        {
            return TryParseOffset(offsetText, out var offset)
                ? new DateZone(id, offset, null)
                : throw QueryErrors.IllegalArgument($"Invalid ID for ZoneOffset, invalid format: {offsetText}");
        }

        if (!RegionId().IsMatch(id))
        {
            throw QueryErrors.IllegalArgument($"Invalid ID for region-based ZoneId, invalid format: {id}");
        }

        try
        {
            return new DateZone(id, TimeSpan.Zero, TimeZoneInfo.FindSystemTimeZoneById(id));
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw QueryErrors.IllegalArgument($"Unknown time-zone ID: {id}");
        }
    }

    /// <summary>An offset as ES formats and <c>ZoneOffset.of</c> accept: <c>+h</c>, <c>+hh</c>, <c>+hh:mm</c>, <c>+hhmm</c>, <c>+hh:mm:ss</c>.</summary>
    public static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        var match = OffsetPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var hours = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minutes = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = match.Groups["s"].Success ? int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 18 || minutes > 59 || seconds > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, seconds);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    /// <summary>The offset from UTC at an instant.</summary>
    public TimeSpan OffsetAt(DateTime utc) => _region is null ? _fixedOffset : _region.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    /// <summary>The local date-time of an instant (UTC <see cref="DateTime"/>).</summary>
    public DateTime ToLocal(DateTime utc) => DateTime.SpecifyKind(utc + OffsetAt(utc), DateTimeKind.Unspecified);

    /// <summary>The instant (UTC) of a local date-time, resolving gaps and overlaps as Java does.</summary>
    public DateTime ToUtc(DateTime local, TimeSpan? preferredOffset = null)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_region is null)
        {
            return DateTime.SpecifyKind(local - _fixedOffset, DateTimeKind.Utc);
        }

        if (_region.IsInvalidTime(local))
        {
            // A gap: keep the offset from before it, which moves the local time forward by the gap's length.
            var before = _region.GetUtcOffset(local.AddHours(-12));
            return DateTime.SpecifyKind(local - before, DateTimeKind.Utc);
        }

        if (_region.IsAmbiguousTime(local))
        {
            var offsets = _region.GetAmbiguousTimeOffsets(local);
            var chosen = preferredOffset is { } preferred && offsets.Contains(preferred) ? preferred : offsets.Max();
            return DateTime.SpecifyKind(local - chosen, DateTimeKind.Utc);
        }

        return DateTime.SpecifyKind(local - _region.GetUtcOffset(local), DateTimeKind.Utc);
    }

    [GeneratedRegex(@"^[+-](?<h>\d{1,2})(?::?(?<m>\d{2})(?::?(?<s>\d{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9~/._+-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionId();
}
