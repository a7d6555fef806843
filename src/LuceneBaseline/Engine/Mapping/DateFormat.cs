using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// A date field's <c>format</c>: one or more formats joined by <c>||</c>, tried in order when parsing; the first one
/// also prints (for <c>key_as_string</c> and the like). Dates are epoch milliseconds in UTC; a value without a zone is
/// UTC, as in Elasticsearch.
/// </summary>
/// <remarks>
/// Supported: <c>epoch_millis</c>, <c>epoch_second</c>, <c>strict_date_optional_time</c> and
/// <c>date_optional_time</c> (also <c>..._nanos</c>, read at millisecond precision), the fixed ISO formats
/// (<c>[strict_]date</c>, <c>date_time</c>, <c>date_time_no_millis</c>, <c>date_hour_minute_second</c>, <c>basic_date</c>,
/// <c>year_month_day</c>, ...) and custom java.time patterns built from <c>y u M d H m s S</c>, month and day names
/// (<c>MMM</c>, <c>EEE</c>), offsets (<c>Z X x</c>), quoted literals and <c>[optional]</c> sections. Years must lie in
/// 1..9999. Immutable and thread-safe.
/// </remarks>
internal sealed class DateFormat
{
    /// <summary>Elasticsearch's default <c>format</c> of a date field.</summary>
    public const string DefaultPattern = "strict_date_optional_time||epoch_millis";

    private static readonly Regex StrictIso = new(
        @"^(?<y>\d{4})(?:-(?<M>\d{2})(?:-(?<d>\d{2}))?)?(?:T(?:(?<H>\d{2})(?::(?<m>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)?)?)?(?<z>Z|[+-]\d{2}(?::?\d{2})?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex LenientIso = new(
        @"^(?<y>\d{1,9})(?:-(?<M>\d{1,2})(?:-(?<d>\d{1,2}))?)?(?:T(?:(?<H>\d{1,2})(?::(?<m>\d{1,2})(?::(?<s>\d{1,2})(?:[.,](?<f>\d{1,9}))?)?)?)?(?<z>Z|[+-]\d{1,2}(?::?\d{2})?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex Epoch = new(@"^-?\d+(?:\.\d{1,9})?$", RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> NamedPatterns = new(StringComparer.Ordinal)
    {
        ["basic_date"] = "yyyyMMdd",
        ["basic_date_time"] = "yyyyMMdd'T'HHmmss.SSSXXX",
        ["basic_date_time_no_millis"] = "yyyyMMdd'T'HHmmssXXX",
        ["date"] = "yyyy-MM-dd",
        ["date_hour"] = "yyyy-MM-dd'T'HH",
        ["date_hour_minute"] = "yyyy-MM-dd'T'HH:mm",
        ["date_hour_minute_second"] = "yyyy-MM-dd'T'HH:mm:ss",
        ["date_hour_minute_second_fraction"] = "yyyy-MM-dd'T'HH:mm:ss.SSS",
        ["date_hour_minute_second_millis"] = "yyyy-MM-dd'T'HH:mm:ss.SSS",
        ["date_time"] = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        ["date_time_no_millis"] = "yyyy-MM-dd'T'HH:mm:ssXXX",
        ["hour"] = "HH",
        ["hour_minute"] = "HH:mm",
        ["hour_minute_second"] = "HH:mm:ss",
        ["hour_minute_second_fraction"] = "HH:mm:ss.SSS",
        ["hour_minute_second_millis"] = "HH:mm:ss.SSS",
        ["time"] = "HH:mm:ss.SSSXXX",
        ["time_no_millis"] = "HH:mm:ssXXX",
        ["t_time"] = "'T'HH:mm:ss.SSSXXX",
        ["t_time_no_millis"] = "'T'HH:mm:ssXXX",
        ["year"] = "yyyy",
        ["year_month"] = "yyyy-MM",
        ["year_month_day"] = "yyyy-MM-dd",
    };

    // Formats come from mappings (and search requests); compiled ones are shared, up to a bound so request input cannot grow it without limit.
    private const int CacheLimit = 256;
    private static readonly ConcurrentDictionary<string, DateFormat> Cache = new(StringComparer.Ordinal);

    private readonly Element[] _elements;

    private DateFormat(string pattern, Element[] elements)
    {
        Pattern = pattern;
        _elements = elements;
    }

    /// <summary>strict_date_optional_time||epoch_millis.</summary>
    public static DateFormat Default { get; } = Create(DefaultPattern);

    /// <summary>The format as written in the mapping.</summary>
    public string Pattern { get; }

    /// <summary>The format for <paramref name="pattern"/>; null means <see cref="Default"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not supported; the message says why, as Elasticsearch words it after "Invalid format: [...]: ".</exception>
    public static DateFormat Create(string? pattern)
    {
        if (pattern is null || (pattern == DefaultPattern && Default is not null))
        {
            return Default!;
        }

        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        var parts = pattern.Split("||");
        var elements = new Element[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            elements[i] = CreateElement(parts[i].Trim(), pattern);
        }

        var format = new DateFormat(pattern, elements);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(pattern, format);
        }

        return format;
    }

    /// <summary>Parses <paramref name="text"/> with each format in turn; false when none accepts it.</summary>
    public bool TryParse(string text, out long epochMillis)
    {
        foreach (var element in _elements)
        {
            if (element.TryParse(text, out epochMillis))
            {
                return true;
            }
        }

        epochMillis = 0;
        return false;
    }

    /// <summary>Prints <paramref name="epochMillis"/> with the first format, in UTC.</summary>
    public string Format(long epochMillis) => _elements[0].Format(epochMillis);

    private static Element CreateElement(string name, string whole)
    {
        var bare = name.StartsWith("strict_", StringComparison.Ordinal) ? name["strict_".Length..] : name;
        var strict = bare.Length != name.Length;
        switch (bare)
        {
            case "epoch_millis" when !strict:
                return new Element(text => ParseEpoch(text, 1), millis => millis.ToString(CultureInfo.InvariantCulture));
            case "epoch_second" when !strict:
                return new Element(text => ParseEpoch(text, 1000), PrintEpochSecond);
            case "date_optional_time" or "date_optional_time_nanos":
                return new Element(text => ParseIso(strict ? StrictIso : LenientIso, text), PrintIso);
        }

        if (NamedPatterns.TryGetValue(bare, out var javaPattern))
        {
            var named = JavaDatePattern.Compile(javaPattern);
            return new Element(named.Parse, named.Format);
        }

        if (name.Length > 0 && name.All(c => char.IsAsciiLetterLower(c) || c == '_') && name.Contains('_', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid format: [{whole}]: the embedded engine does not support the built-in format [{name}]");
        }

        try
        {
            var custom = JavaDatePattern.Compile(name);
            return new Element(custom.Parse, custom.Format);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Invalid format: [{whole}]: {e.Message}", e);
        }
    }

    private static long? ParseEpoch(string text, long unitMillis)
    {
        if (!Epoch.IsMatch(text) || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var millis = decimal.Floor(value * unitMillis);
        return millis is < long.MinValue or > long.MaxValue ? null : (long)millis;
    }

    private static long? ParseIso(Regex regex, string text)
    {
        var match = regex.Match(text);
        if (!match.Success)
        {
            return null;
        }

        int Part(string group, int fallback) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : fallback;
        var fraction = match.Groups["f"].Success ? match.Groups["f"].Value : "";
        var zone = match.Groups["z"].Success ? match.Groups["z"].Value : "";
        return ToEpochMillis(Part("y", 1970), Part("M", 1), Part("d", 1), Part("H", 0), Part("m", 0), Part("s", 0), fraction, ParseOffsetMinutes(zone));
    }

    private static string PrintIso(long millis) =>
        DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Minutes east of UTC for <c>Z</c>, <c>+01</c>, <c>+0130</c>, <c>+01:30</c>; 0 for an empty string; null when out of range.</summary>
    internal static int? ParseOffsetMinutes(string zone)
    {
        if (zone.Length == 0 || zone == "Z")
        {
            return 0;
        }

        var sign = zone[0] == '-' ? -1 : 1;
        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..Math.Min(2, digits.Length)], CultureInfo.InvariantCulture);
        var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        return hours > 18 || minutes > 59 ? null : sign * ((hours * 60) + minutes);
    }

    /// <summary>Epoch milliseconds of a local date-time at an offset, or null when a part is out of range.</summary>
    internal static long? ToEpochMillis(int year, int month, int day, int hour, int minute, int second, string fraction, int? offsetMinutes)
    {
        if (offsetMinutes is null || year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return null;
        }

        var millisOfSecond = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        var local = new DateTime(year, month, day, hour, minute, second, millisOfSecond, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeMilliseconds() - (offsetMinutes.Value * 60_000L);
    }

    private static string PrintEpochSecond(long millis)
    {
        var seconds = Math.DivRem(millis, 1000, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += 1000;
        }

        return rest == 0
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}.{rest:000}").TrimEnd('0');
    }

    /// <summary>One <c>||</c> alternative: a parser (null when the text does not match) and a printer.</summary>
    private sealed class Element(Func<string, long?> parse, Func<long, string> format)
    {
        public bool TryParse(string text, out long epochMillis)
        {
            var value = parse(text);
            epochMillis = value ?? 0;
            return value.HasValue;
        }

        public string Format(long epochMillis) => format(epochMillis);
    }
}
