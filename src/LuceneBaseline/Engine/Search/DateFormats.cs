using System.Globalization;
using System.Text;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Elasticsearch date formats for output (<c>fields</c>, <c>key_as_string</c>, <c>value_as_string</c>) and for values a
/// request gives (<c>search_after</c>, <c>missing</c>). A format is a <c>||</c>-separated list; output uses the first
/// entry, parsing tries each. Named formats: <c>strict_date_optional_time</c> (the default, printed as
/// <c>2020-01-01T00:00:00.000Z</c>), <c>date_optional_time</c>, <c>strict_date_time</c>, <c>date_time</c>,
/// <c>strict_date</c>, <c>date</c>, <c>basic_date</c>, <c>strict_date_hour_minute_second</c>, <c>epoch_millis</c>,
/// <c>epoch_second</c>; other entries are Java-style patterns built from <c>y u M d H m s S</c>, quoted literals and
/// punctuation. All times are UTC.
/// </summary>
internal static class DateFormats
{
    public const string Default = "strict_date_optional_time||epoch_millis";

    /// <summary>Formats epoch milliseconds with the first entry of <paramref name="format"/> (null: the default).</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> for a pattern the engine cannot print.</exception>
    public static string Format(long epochMillis, string? format)
    {
        var first = (format ?? Default).Split("||")[0].Trim();
        var time = DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime;
        return first switch
        {
            "strict_date_optional_time" or "date_optional_time" or "strict_date_time" or "date_time" =>
                time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            "strict_date_optional_time_nanos" => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "000000Z",
            "strict_date" or "date" or "strict_year_month_day" or "year_month_day" => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "basic_date" => time.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "strict_date_hour_minute_second" or "date_hour_minute_second" => time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            "epoch_millis" => epochMillis.ToString(CultureInfo.InvariantCulture),
            "epoch_second" => FormatEpochSecond(epochMillis),
            _ => time.ToString(ToDotNetPattern(first), CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Parses a date with any entry of <paramref name="format"/> (null: the default) to epoch milliseconds.</summary>
    public static bool TryParse(string text, string? format, out long epochMillis)
    {
        foreach (var entry in (format ?? Default).Split("||"))
        {
            if (TryParseEntry(text.Trim(), entry.Trim(), out epochMillis))
            {
                return true;
            }
        }

        epochMillis = 0;
        return false;
    }

    private static bool TryParseEntry(string text, string entry, out long epochMillis)
    {
        epochMillis = 0;
        switch (entry)
        {
            case "epoch_millis":
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && !text.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    epochMillis = (long)millis;
                    return true;
                }

                return false;
            case "epoch_second":
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    epochMillis = (long)Math.Round(seconds * 1000);
                    return true;
                }

                return false;
            case "strict_date_optional_time" or "date_optional_time" or "strict_date_optional_time_nanos" or "strict_date_time" or "date_time"
                or "strict_date" or "date" or "strict_date_hour_minute_second" or "date_hour_minute_second":
                return TryParseIso(text, out epochMillis);
            case "basic_date":
                return TryParseExact(text, "yyyyMMdd", out epochMillis);
            default:
                try
                {
                    return TryParseExact(text, ToDotNetPattern(entry), out epochMillis);
                }
                catch (EngineException)
                {
                    return false;
                }
        }
    }

    private static bool TryParseExact(string text, string pattern, out long epochMillis)
    {
        if (DateTime.TryParseExact(text, pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            epochMillis = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
            return true;
        }

        epochMillis = 0;
        return false;
    }

    /// <summary>
    /// <c>strict_date_optional_time</c>: <c>yyyy[-MM[-dd]]</c>, then optionally <c>T</c> and <c>HH[:mm[:ss[.fraction]]]</c>
    /// and an offset (<c>Z</c>, <c>+01:00</c>, <c>+0100</c>, <c>+01</c>). Fields absent default to the start of the unit.
    /// </summary>
    private static bool TryParseIso(string s, out long epochMillis)
    {
        epochMillis = 0;
        var i = 0;
        if (!Digits(s, ref i, 4, out var year))
        {
            return false;
        }

        int month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var offsetMinutes = 0;
        if (i < s.Length && s[i] == '-')
        {
            i++;
            if (!Digits(s, ref i, 2, out month))
            {
                return false;
            }

            if (i < s.Length && s[i] == '-')
            {
                i++;
                if (!Digits(s, ref i, 2, out day))
                {
                    return false;
                }
            }
        }

        if (i < s.Length && s[i] == 'T')
        {
            i++;
            if (!Digits(s, ref i, 2, out hour))
            {
                return false;
            }

            if (i < s.Length && s[i] == ':')
            {
                i++;
                if (!Digits(s, ref i, 2, out minute))
                {
                    return false;
                }

                if (i < s.Length && s[i] == ':')
                {
                    i++;
                    if (!Digits(s, ref i, 2, out second))
                    {
                        return false;
                    }

                    if (i < s.Length && (s[i] == '.' || s[i] == ','))
                    {
                        i++;
                        var start = i;
                        long value = 0;
                        while (i < s.Length && char.IsAsciiDigit(s[i]) && i - start < 9)
                        {
                            value = (value * 10) + (s[i] - '0');
                            i++;
                        }

                        if (i == start)
                        {
                            return false;
                        }

                        for (var d = i - start; d < 7; d++)
                        {
                            value *= 10;
                        }

                        for (var d = i - start; d > 7; d--)
                        {
                            value /= 10;
                        }

                        fractionTicks = value;
                    }
                }
            }

            if (i < s.Length)
            {
                if (s[i] == 'Z')
                {
                    i++;
                }
                else if (s[i] is '+' or '-')
                {
                    var sign = s[i] == '-' ? -1 : 1;
                    i++;
                    if (!Digits(s, ref i, 2, out var offsetHours))
                    {
                        return false;
                    }

                    var offsetMins = 0;
                    if (i < s.Length && s[i] == ':')
                    {
                        i++;
                    }

                    if (i < s.Length && !Digits(s, ref i, 2, out offsetMins))
                    {
                        return false;
                    }

                    offsetMinutes = sign * ((offsetHours * 60) + offsetMins);
                }
            }
        }

        if (i != s.Length || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks).AddMinutes(-offsetMinutes);
        epochMillis = (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        return true;
    }

    private static bool Digits(string s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            if (!char.IsAsciiDigit(s[i + k]))
            {
                return false;
            }

            value = (value * 10) + (s[i + k] - '0');
        }

        i += count;
        return true;
    }

    private static string FormatEpochSecond(long epochMillis)
    {
        if (epochMillis % 1000 == 0)
        {
            return (epochMillis / 1000).ToString(CultureInfo.InvariantCulture);
        }

        return (epochMillis / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>A Java <c>DateTimeFormatter</c> pattern of the common letters as a .NET custom format.</summary>
    private static string ToDotNetPattern(string pattern)
    {
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw EngineException.IllegalArgument($"Invalid format: [{pattern}]");
                }

                result.Append('\'').Append(pattern, i + 1, end - i - 1).Append('\'');
                i = end;
                continue;
            }

            if (char.IsAsciiLetter(c))
            {
                var run = 1;
                while (i + run < pattern.Length && pattern[i + run] == c)
                {
                    run++;
                }

                var letter = c switch
                {
                    'y' or 'u' => 'y',
                    'M' => 'M',
                    'd' => 'd',
                    'H' => 'H',
                    'm' => 'm',
                    's' => 's',
                    'S' => 'f',
                    _ => throw EngineException.IllegalArgument($"Invalid format: [{pattern}]: the embedded engine supports the pattern letters y, u, M, d, H, m, s and S"),
                };
                result.Append(letter, run);
                i += run - 1;
                continue;
            }

            result.Append('\\').Append(c);
        }

        return result.ToString();
    }
}
