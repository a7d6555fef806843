using System.Globalization;
using System.Text;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// A sequence of <see cref="DateElement"/>s that parses the whole of a text the way java.time does in strict mode
/// (greedy, no backtracking except an optional section that fails and is dropped) and prints a UTC instant. Missing
/// fields take Elasticsearch's defaults (<c>DateFormatters.from</c>): year 1970, month and day 1, time 00:00; when
/// rounding up (the round-up parser of <c>gt</c>/<c>lte</c> bounds) hour 23, minute and second 59 and nanoseconds
/// 999,999,999 instead. Years must lie in 1..9999. Immutable and thread-safe.
/// </summary>
internal sealed class DatePattern
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
    private static readonly string[] MonthShortNames = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];
    private static readonly string[] DayNames = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;
    private static readonly string[] DayShortNames = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames;

    private readonly DateElement[] _elements;

    public DatePattern(params DateElement[] elements)
    {
        _elements = Adjacent(elements);
    }

    /// <summary>Whether this is <c>epoch_millis</c> (a JSON number bound is then epoch milliseconds).</summary>
    public bool IsEpochMillis => _elements is [{ Kind: DateElementKind.Epoch, EpochUnit: 1 }];

    /// <summary>Reads the whole of <paramref name="text"/>; false when it does not match or a field is out of range.</summary>
    public bool TryParse(string text, bool roundUp, out ParsedDate date)
    {
        date = default;
        var fields = default(Fields);
        var position = 0;
        return Match(_elements, text, ref position, ref fields) && position == text.Length && Resolve(fields, roundUp, out date);
    }

    /// <summary>Prints <paramref name="epochMillis"/> in UTC; optional sections print (every field is known).</summary>
    public string Print(long epochMillis)
    {
        var text = new StringBuilder();
        Print(_elements, epochMillis, DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime, text);
        return text.ToString();
    }

    // java.time's adjacent value parsing: a variable-width number followed directly by fixed-width values leaves them their digits.
    private static DateElement[] Adjacent(DateElement[] elements)
    {
        var result = new DateElement[elements.Length];
        for (var i = 0; i < elements.Length; i++)
        {
            var element = elements[i];
            if (element.Kind == DateElementKind.Optional)
            {
                element = element with { Children = Adjacent(element.Children) };
            }
            else if (element.Kind == DateElementKind.Number && !element.IsFixedWidthValue)
            {
                var reserved = 0;
                for (var j = i + 1; j < elements.Length && elements[j].IsFixedWidthValue; j++)
                {
                    reserved += elements[j].MaxWidth;
                }

                element = element with { Reserved = reserved };
            }

            result[i] = element;
        }

        return result;
    }

    private static bool Match(DateElement[] sequence, string text, ref int position, ref Fields fields)
    {
        foreach (var element in sequence)
        {
            if (!Match(element, text, ref position, ref fields))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Match(DateElement element, string text, ref int position, ref Fields fields)
    {
        switch (element.Kind)
        {
            case DateElementKind.Literal:
                if (string.CompareOrdinal(text, position, element.Text, 0, element.Text.Length) != 0 || position + element.Text.Length > text.Length)
                {
                    return false;
                }

                position += element.Text.Length;
                return true;
            case DateElementKind.Optional:
                var saved = (position, fields);
                if (!Match(element.Children, text, ref position, ref fields))
                {
                    (position, fields) = saved;
                }

                return true;
            case DateElementKind.Number:
                return MatchNumber(element, text, ref position, ref fields);
            case DateElementKind.Fraction:
                return MatchFraction(element, text, ref position, ref fields);
            case DateElementKind.MonthText:
                return MatchName(element.FullText ? MonthNames : MonthShortNames, text, ref position, out var month) && Set(ref fields.Month, month + 1);
            case DateElementKind.DayOfWeekText:
                return MatchName(element.FullText ? DayNames : DayShortNames, text, ref position, out _);
            case DateElementKind.Offset:
                return MatchOffset(element, text, ref position, ref fields);
            default:
                return MatchEpoch(element, text, ref position, ref fields);
        }
    }

    private static bool Set(ref int? field, int value)
    {
        field = value;
        return true;
    }

    private static int Digits(string text, int position, int max)
    {
        var count = 0;
        while (count < max && position + count < text.Length && char.IsAsciiDigit(text[position + count]))
        {
            count++;
        }

        return count;
    }

    private static bool MatchNumber(DateElement element, string text, ref int position, ref Fields fields)
    {
        var available = Digits(text, position, element.MaxWidth + element.Reserved);
        var width = Math.Min(element.MaxWidth, available - element.Reserved);
        if (width < Math.Max(1, element.MinWidth) || width > 9)
        {
            return false;
        }

        var value = int.Parse(text.AsSpan(position, width), NumberStyles.None, CultureInfo.InvariantCulture);
        position += width;
        switch (element.Field)
        {
            case DateField.Year:
                fields.Year = value;
                break;
            case DateField.TwoDigitYear:
                fields.Year = 2000 + value;
                break;
            case DateField.Month:
                fields.Month = value;
                break;
            case DateField.Day:
                fields.Day = value;
                break;
            case DateField.DayOfYear:
                fields.DayOfYear = value;
                break;
            case DateField.Hour:
                fields.Hour = value;
                break;
            case DateField.Minute:
                fields.Minute = value;
                break;
            default:
                fields.Second = value;
                break;
        }

        return true;
    }

    private static bool MatchFraction(DateElement element, string text, ref int position, ref Fields fields)
    {
        var start = position;
        if (element.DecimalPoint)
        {
            if (start >= text.Length || text[start] != '.')
            {
                return element.MinWidth == 0;
            }

            start++;
        }

        var width = Digits(text, start, element.MaxWidth);
        if (width < element.MinWidth)
        {
            return false;
        }

        if (width > 0)
        {
            fields.Nanos = int.Parse(text.AsSpan(start, width), NumberStyles.None, CultureInfo.InvariantCulture) * (int)Math.Pow(10, 9 - width);
        }

        position = start + width;
        return true;
    }

    private static bool MatchName(string[] names, string text, ref int position, out int index)
    {
        for (index = 0; index < names.Length; index++)
        {
            if (string.CompareOrdinal(text, position, names[index], 0, names[index].Length) == 0 && position + names[index].Length <= text.Length)
            {
                position += names[index].Length;
                return true;
            }
        }

        return false;
    }

    private static bool MatchOffset(DateElement element, string text, ref int position, ref Fields fields)
    {
        foreach (var style in element.Offsets)
        {
            var end = position;
            if (ParseOffset(style, text, ref end, out var offset))
            {
                fields.Offset = offset;
                position = end;
                return true;
            }
        }

        return false;
    }

    private static bool ParseOffset(DateOffsetStyle style, string text, ref int position, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (style.IsZoneOrOffsetId)
        {
            if (position < text.Length && text[position] == 'Z')
            {
                position++;
                return true;
            }

            foreach (var prefix in new[] { "UTC", "GMT", "UT" })
            {
                if (string.CompareOrdinal(text, position, prefix, 0, prefix.Length) == 0 && position + prefix.Length <= text.Length)
                {
                    position += prefix.Length;
                    var afterPrefix = position;
                    if (!ParseOffset(new DateOffsetStyle("+HH:MM:ss", ""), text, ref position, out offset))
                    {
                        position = afterPrefix;
                    }

                    return true;
                }
            }

            return ParseOffset(new DateOffsetStyle("+HH:MM:ss", ""), text, ref position, out offset);
        }

        if (style.ZeroText.Length > 0 && string.CompareOrdinal(text, position, style.ZeroText, 0, style.ZeroText.Length) == 0
            && position + style.ZeroText.Length <= text.Length)
        {
            position += style.ZeroText.Length;
            return true;
        }

        if (position >= text.Length || text[position] is not ('+' or '-') || Digits(text, position + 1, 2) != 2)
        {
            return false;
        }

        var negative = text[position] == '-';
        var pattern = style.Pattern;
        var colon = pattern.Contains(':', StringComparison.Ordinal) ? ":" : "";
        var end = position + 3;
        var hours = int.Parse(text.AsSpan(position + 1, 2), CultureInfo.InvariantCulture);
        var minutes = 0;
        var seconds = 0;
        if (!ParseOffsetPart(text, ref end, colon, pattern.Contains("MM", StringComparison.Ordinal), pattern.Contains("mm", StringComparison.Ordinal), ref minutes)
            || (end > position + 3 && !ParseOffsetPart(text, ref end, colon, pattern.Contains("SS", StringComparison.Ordinal), pattern.Contains("ss", StringComparison.Ordinal), ref seconds)))
        {
            return false;
        }

        if (hours > 18 || minutes > 59 || seconds > 59 || (hours == 18 && (minutes > 0 || seconds > 0)))
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, seconds);
        offset = negative ? -offset : offset;
        position = end;
        return true;
    }

    // Minutes or seconds of an offset: required (upper case in the pattern), optional (lower case) or absent.
    private static bool ParseOffsetPart(string text, ref int end, string colon, bool required, bool optional, ref int value)
    {
        if (!required && !optional)
        {
            return true;
        }

        var present = string.CompareOrdinal(text, end, colon, 0, colon.Length) == 0 && Digits(text, end + colon.Length, 2) == 2;
        if (!present)
        {
            return !required;
        }

        value = int.Parse(text.AsSpan(end + colon.Length, 2), CultureInfo.InvariantCulture);
        end += colon.Length + 2;
        return true;
    }

    private static bool MatchEpoch(DateElement element, string text, ref int position, ref Fields fields)
    {
        // Elasticsearch's EpochTime: a signed integer of up to 19 digits, then optionally '.' and up to 6 (millis) or 9 (seconds) digits.
        var start = position;
        var end = start < text.Length && text[start] == '-' ? start + 1 : start;
        var integer = Digits(text, end, 19);
        if (integer == 0)
        {
            return false;
        }

        end += integer;
        if (end < text.Length && text[end] == '.')
        {
            end++;
            end += Digits(text, end, element.EpochUnit == 1 ? 6 : 9);
        }

        if (!decimal.TryParse(text.AsSpan(start, end - start).TrimEnd('.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var millis = decimal.Floor(value * element.EpochUnit);
        if (millis is < long.MinValue or > long.MaxValue)
        {
            return false;
        }

        fields.Epoch = (long)millis;
        position = end;
        return true;
    }

    private static bool Resolve(Fields fields, bool roundUp, out ParsedDate date)
    {
        date = default;
        if (fields.Epoch is { } epoch)
        {
            date = new ParsedDate(epoch, default);
            return true;
        }

        var year = fields.Year ?? 1970;
        if (year is < 1 or > 9999)
        {
            return false;
        }

        DateTime day;
        if (fields.DayOfYear is { } dayOfYear && fields.Month is null && fields.Day is null)
        {
            if (dayOfYear < 1 || dayOfYear > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return false;
            }

            day = new DateTime(year, 1, 1).AddDays(dayOfYear - 1);
        }
        else
        {
            var month = fields.Month ?? 1;
            var dayOfMonth = fields.Day ?? 1;
            if (month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            day = new DateTime(year, month, dayOfMonth);
        }

        // Without an hour java.time resolves no time of day and Elasticsearch takes the start of the day.
        var timeKnown = fields.Hour is not null || roundUp;
        var hour = fields.Hour ?? (roundUp ? 23 : 0);
        var minute = timeKnown ? fields.Minute ?? (roundUp ? 59 : 0) : 0;
        var second = timeKnown ? fields.Second ?? (roundUp ? 59 : 0) : 0;
        var nanos = timeKnown ? fields.Nanos ?? (roundUp ? 999_999_999 : 0) : 0;
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = day.AddHours(hour).AddMinutes(minute).AddSeconds(second).AddTicks(nanos / 100);
        date = fields.Offset is { } offset ? new ParsedDate(ParsedDate.EpochMillis(local - offset), default) : new ParsedDate(null, local);
        return true;
    }

    private static void Print(DateElement[] sequence, long epochMillis, DateTime utc, StringBuilder text)
    {
        foreach (var element in sequence)
        {
            switch (element.Kind)
            {
                case DateElementKind.Literal:
                    text.Append(element.Text);
                    break;
                case DateElementKind.Optional:
                    Print(element.Children, epochMillis, utc, text);
                    break;
                case DateElementKind.Number:
                    var value = element.Field switch
                    {
                        DateField.Year => utc.Year,
                        DateField.TwoDigitYear => utc.Year % 100,
                        DateField.Month => utc.Month,
                        DateField.Day => utc.Day,
                        DateField.DayOfYear => utc.DayOfYear,
                        DateField.Hour => utc.Hour,
                        DateField.Minute => utc.Minute,
                        _ => utc.Second,
                    };
                    text.Append(value.ToString(new string('0', Math.Max(1, element.MinWidth)), CultureInfo.InvariantCulture));
                    break;
                case DateElementKind.Fraction:
                    var digits = (utc.Millisecond * 1_000_000).ToString("000000000", CultureInfo.InvariantCulture)[..Math.Max(element.MaxWidth, 1)];
                    digits = digits.Length > element.MinWidth ? digits.TrimEnd('0').PadRight(element.MinWidth, '0') : digits;
                    text.Append(digits.Length > 0 && element.DecimalPoint ? "." : "").Append(digits);
                    break;
                case DateElementKind.MonthText:
                    text.Append((element.FullText ? MonthNames : MonthShortNames)[utc.Month - 1]);
                    break;
                case DateElementKind.DayOfWeekText:
                    text.Append((element.FullText ? DayNames : DayShortNames)[(int)utc.DayOfWeek]);
                    break;
                case DateElementKind.Offset:
                    text.Append(element.Offsets[0].ZeroText.Length > 0 ? element.Offsets[0].ZeroText : "Z");
                    break;
                default:
                    text.Append(element.EpochUnit == 1 ? epochMillis.ToString(CultureInfo.InvariantCulture) : EpochSeconds(epochMillis));
                    break;
            }
        }
    }

    private static string EpochSeconds(long millis)
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

    /// <summary>The fields read so far; null when absent.</summary>
    private struct Fields
    {
        public int? Year;
        public int? Month;
        public int? Day;
        public int? DayOfYear;
        public int? Hour;
        public int? Minute;
        public int? Second;
        public int? Nanos;
        public TimeSpan? Offset;
        public long? Epoch;
    }
}
