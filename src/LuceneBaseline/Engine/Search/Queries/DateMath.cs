using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Elasticsearch's date math (<c>JavaDateMathParser</c>): <c>now</c> or <c>date||</c> followed by operations
/// <c>+1d</c>, <c>-2h</c>, <c>/M</c> (round to the unit) with units y M w d h H m s.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>An anchor: <c>now</c> (the request's now) or a date in the field's format before <c>||</c>; without either the
/// whole text is a date, whose missing fields round up when rounding up (see
/// <see cref="DateFormatter"/>).</item>
/// <item>Operations apply in order in the time zone: years, months, weeks and days on the local calendar, hours,
/// minutes and seconds on the timeline.</item>
/// <item>Rounding (<c>/d</c>) goes to the unit's start; when rounding up (<c>gt</c>, <c>lte</c>) to the unit's last
/// millisecond instead (start of the next unit minus 1 ms).</item>
/// </list>
/// Errors are Elasticsearch's <c>parse_exception</c> reasons.
/// </remarks>
internal static class DateMath
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Epoch milliseconds of a date-math expression.</summary>
    /// <exception cref="Errors.EngineException">parse_exception for bad math, illegal_argument_exception for a bad date.</exception>
    public static long Parse(string text, DateTimeOffset now, bool roundUp, DateZone zone, DateFormatter formatter)
    {
        long anchor;
        string math;
        if (text.StartsWith("now", StringComparison.Ordinal))
        {
            anchor = now.ToUnixTimeMilliseconds();
            math = text[3..];
        }
        else
        {
            var separator = text.IndexOf("||", StringComparison.Ordinal);
            if (separator < 0)
            {
                return ParseDate(text, roundUp, zone, formatter);
            }

            anchor = ParseDate(text[..separator], roundUp: false, zone, formatter);
            math = text[(separator + 2)..];
        }

        return ApplyMath(math, anchor, roundUp, zone);
    }

    /// <summary>Epoch milliseconds of a UTC instant, rounded down (Java's <c>Instant.toEpochMilli</c>); integer arithmetic keeps sub-millisecond ticks from rounding up.</summary>
    public static long ToEpochMillis(DateTime utc)
    {
        var ticks = (utc - Epoch).Ticks;
        var millis = ticks / TimeSpan.TicksPerMillisecond;
        return ticks % TimeSpan.TicksPerMillisecond < 0 ? millis - 1 : millis;
    }

    private static long ParseDate(string text, bool roundUp, DateZone zone, DateFormatter formatter)
    {
        if (text.Length == 0)
        {
            throw QueryErrors.Parse("cannot parse empty datetime");
        }

        try
        {
            return formatter.Parse(text, roundUp, zone);
        }
        catch (Errors.EngineException e) when (e.Type == "illegal_argument_exception")
        {
            throw QueryErrors.Chain(400, "parse_exception", $"failed to parse date field [{text}] with format [{formatter.Pattern}]: [{e.Reason}]", e);
        }
    }

    private static long ApplyMath(string math, long anchor, bool roundUp, DateZone zone)
    {
        var utc = Epoch.AddTicks(anchor * TimeSpan.TicksPerMillisecond);
        var i = 0;
        while (i < math.Length)
        {
            var op = math[i++];
            bool round;
            var sign = 1;
            if (op == '/')
            {
                round = true;
            }
            else
            {
                round = false;
                sign = op switch
                {
                    '+' => 1,
                    '-' => -1,
                    _ => throw QueryErrors.Parse($"operator not supported for date math [{math}]"),
                };
            }

            if (i >= math.Length)
            {
                throw QueryErrors.Parse($"truncated date math [{math}]");
            }

            var number = 1;
            if (char.IsAsciiDigit(math[i]))
            {
                var start = i;
                while (i < math.Length && char.IsAsciiDigit(math[i]))
                {
                    i++;
                }

                if (i >= math.Length)
                {
                    throw QueryErrors.Parse($"truncated date math [{math}]");
                }

                number = JavaNumbers.ParseInt(math[start..i]) ?? throw QueryErrors.NumberFormat(math[start..i]);
            }

            if (round && number != 1)
            {
                throw QueryErrors.Parse($"rounding `/` can only be used on single unit types [{math}]");
            }

            var unit = math[i++];
            utc = round ? Round(utc, unit, roundUp, zone, math) : Add(utc, unit, sign * number, zone, math);
            if (round && roundUp)
            {
                utc = utc.AddMilliseconds(-1);
            }
        }

        return ToEpochMillis(utc);
    }

    private static DateTime Add(DateTime utc, char unit, int amount, DateZone zone, string math)
    {
        switch (unit)
        {
            case 'h' or 'H':
                return utc.AddHours(amount);
            case 'm':
                return utc.AddMinutes(amount);
            case 's':
                return utc.AddSeconds(amount);
        }

        var offset = zone.OffsetAt(utc);
        var local = zone.ToLocal(utc);
        local = unit switch
        {
            'y' => local.AddYears(amount),
            'M' => local.AddMonths(amount),
            'w' => local.AddDays(7L * amount),
            'd' => local.AddDays(amount),
            _ => throw QueryErrors.Parse($"unit [{unit}] not supported for date math [{math}]"),
        };
        return zone.ToUtc(local, offset);
    }

    private static DateTime Round(DateTime utc, char unit, bool roundUp, DateZone zone, string math)
    {
        var offset = zone.OffsetAt(utc);
        var local = zone.ToLocal(utc);
        var midnight = local.Date;
        switch (unit)
        {
            case 'y':
                local = new DateTime(local.Year, 1, 1);
                return zone.ToUtc(roundUp ? local.AddYears(1) : local, offset);
            case 'M':
                local = new DateTime(local.Year, local.Month, 1);
                return zone.ToUtc(roundUp ? local.AddMonths(1) : local, offset);
            case 'w':
                var daysSinceMonday = ((int)midnight.DayOfWeek + 6) % 7;
                local = midnight.AddDays(-daysSinceMonday);
                return zone.ToUtc(roundUp ? local.AddDays(7) : local, offset);
            case 'd':
                return zone.ToUtc(roundUp ? midnight.AddDays(1) : midnight, offset);
            case 'h' or 'H':
                local = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0);
                utc = zone.ToUtc(local, offset);
                return roundUp ? utc.AddHours(1) : utc;
            case 'm':
                local = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0);
                utc = zone.ToUtc(local, offset);
                return roundUp ? utc.AddMinutes(1) : utc;
            case 's':
                local = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second);
                utc = zone.ToUtc(local, offset);
                return roundUp ? utc.AddSeconds(1) : utc;
            default:
                throw QueryErrors.Parse($"unit [{unit}] not supported for date math [{math}]");
        }
    }
}
