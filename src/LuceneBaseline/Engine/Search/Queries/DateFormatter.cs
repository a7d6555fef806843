using System.Collections.Frozen;
using System.Globalization;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Parses date strings by an Elasticsearch date <c>format</c>: alternatives separated by <c>||</c>, each a built-in
/// name (<c>strict_date_optional_time</c>, <c>epoch_millis</c>, <c>yyyy-MM-dd</c>-style names such as
/// <c>strict_date</c>, ...) or a Java <c>DateTimeFormatter</c> pattern of the common letters (y u M d H m s S X x Z,
/// quoted literals, <c>[optional]</c> sections). Immutable, thread-safe.
/// </summary>
/// <remarks>
/// Missing fields get Elasticsearch's defaults: when parsing a bound that rounds up (<c>gt</c>, <c>lte</c>, the upper
/// end of a date <c>term</c>) month and day 1, hour 23, minute and second 59, nanoseconds 999,999,999; otherwise month
/// and day 1 and a time of 00:00:00. A missing year is 1970. Dates without an offset are in the given zone (UTC unless
/// <c>time_zone</c> says otherwise).
/// </remarks>
internal sealed class DateFormatter
{
    /// <summary>The format of a <c>date</c> field without one: <c>strict_date_optional_time||epoch_millis</c>.</summary>
    public const string DefaultPattern = "strict_date_optional_time||epoch_millis";

    private const string ValidJavaLetters = "GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZpg";

    private static readonly FrozenDictionary<string, Func<DateFormat>> Named = new Dictionary<string, Func<DateFormat>>(StringComparer.Ordinal)
    {
        ["epoch_millis"] = () => new EpochFormat(1),
        ["epoch_second"] = () => new EpochFormat(1000),
        ["strict_date_optional_time"] = () => OptionalTime(strict: true),
        ["strict_date_optional_time_nanos"] = () => OptionalTime(strict: true),
        ["date_optional_time"] = () => OptionalTime(strict: false),
        ["strict_date"] = () => Compile("yyyy-MM-dd"),
        ["date"] = () => Compile("yyyy-MM-dd"),
        ["strict_date_time"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        ["date_time"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        ["strict_date_time_no_millis"] = () => Compile("yyyy-MM-dd'T'HH:mm:ssXXX"),
        ["date_time_no_millis"] = () => Compile("yyyy-MM-dd'T'HH:mm:ssXXX"),
        ["strict_date_hour"] = () => Compile("yyyy-MM-dd'T'HH"),
        ["date_hour"] = () => Compile("yyyy-MM-dd'T'HH"),
        ["strict_date_hour_minute"] = () => Compile("yyyy-MM-dd'T'HH:mm"),
        ["date_hour_minute"] = () => Compile("yyyy-MM-dd'T'HH:mm"),
        ["strict_date_hour_minute_second"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss"),
        ["date_hour_minute_second"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss"),
        ["strict_date_hour_minute_second_millis"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ["date_hour_minute_second_millis"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ["strict_date_hour_minute_second_fraction"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ["date_hour_minute_second_fraction"] = () => Compile("yyyy-MM-dd'T'HH:mm:ss.SSS"),
        ["strict_year_month_day"] = () => Compile("yyyy-MM-dd"),
        ["year_month_day"] = () => Compile("yyyy-MM-dd"),
        ["strict_year_month"] = () => Compile("yyyy-MM"),
        ["year_month"] = () => Compile("yyyy-MM"),
        ["strict_year"] = () => Compile("yyyy"),
        ["year"] = () => Compile("yyyy"),
        ["basic_date"] = () => Compile("yyyyMMdd"),
        ["basic_date_time"] = () => Compile("yyyyMMdd'T'HHmmss.SSSX"),
        ["basic_date_time_no_millis"] = () => Compile("yyyyMMdd'T'HHmmssX"),
        ["strict_hour_minute_second"] = () => Compile("HH:mm:ss"),
        ["hour_minute_second"] = () => Compile("HH:mm:ss"),
        ["strict_hour_minute"] = () => Compile("HH:mm"),
        ["hour_minute"] = () => Compile("HH:mm"),
        ["strict_hour"] = () => Compile("HH"),
        ["hour"] = () => Compile("HH"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly DateFormat[] _formats;

    private DateFormatter(string pattern, DateFormat[] formats)
    {
        Pattern = pattern;
        _formats = formats;
    }

    public static DateFormatter Default { get; } = ForPattern(DefaultPattern);

    /// <summary>The format as given (Elasticsearch names it so in parse errors).</summary>
    public string Pattern { get; }

    /// <summary>Whether epoch milliseconds are among the alternatives (JSON numbers then count as epoch milliseconds).</summary>
    public bool AcceptsEpochMillis => _formats.Any(f => f is EpochFormat { Multiplier: 1 });

    /// <summary>The formatter for a <c>format</c> value.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception for a pattern Java rejects or one the engine does not implement.</exception>
    public static DateFormatter ForPattern(string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw QueryErrors.IllegalArgument("No date pattern provided");
        }

        var formats = pattern.Split("||").Select(part => Named.TryGetValue(part, out var named) ? named() : CompileCustom(part, pattern)).ToArray();
        return new DateFormatter(pattern, formats);
    }

    /// <summary>Epoch milliseconds of <paramref name="text"/>.</summary>
    /// <exception cref="Errors.EngineException">illegal_argument_exception <c>failed to parse date field [...] with format [...]</c>.</exception>
    public long Parse(string text, bool roundUp, DateZone zone)
    {
        foreach (var format in _formats)
        {
            if (format.TryParse(text, roundUp, zone, out var millis))
            {
                return millis;
            }
        }

        throw QueryErrors.IllegalArgument($"failed to parse date field [{text}] with format [{Pattern}]");
    }

    private static PatternFormat OptionalTime(bool strict)
    {
        var (two, one) = strict ? (2, 2) : (1, 2);
        var fraction = new Element[] { Element.Choice(".", ","), Element.Number(DateField.Nanos, 1, 9) };
        var seconds = new Element[] { Element.Literal(":"), Element.Number(DateField.Second, two, one), Element.Optional(fraction) };
        var minutes = new Element[] { Element.Literal(":"), Element.Number(DateField.Minute, two, one), Element.Optional(seconds) };
        var time = new Element[] { Element.Number(DateField.Hour, two, one), Element.Optional(minutes) };
        var afterT = new Element[] { Element.Literal("T"), Element.Optional(time), Element.Optional([Element.Offset()]) };
        var day = new Element[] { Element.Literal("-"), Element.Number(DateField.Day, two, one) };
        var month = new Element[] { Element.Literal("-"), Element.Number(DateField.Month, two, one), Element.Optional(day) };
        return new PatternFormat(
        [
            Element.Number(DateField.Year, strict ? 4 : 1, strict ? 4 : 9),
            Element.Optional(month),
            Element.Optional(afterT),
        ]);
    }

    private static PatternFormat Compile(string javaPattern) => CompileCustom(javaPattern, javaPattern);

    private static PatternFormat CompileCustom(string javaPattern, string whole)
    {
        var position = 0;
        var elements = CompileSection(javaPattern, ref position, whole, nested: false);
        return new PatternFormat(elements);
    }

    private static Element[] CompileSection(string pattern, ref int i, string whole, bool nested)
    {
        var elements = new List<Element>();
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == ']')
            {
                if (!nested)
                {
                    throw QueryErrors.IllegalArgument($"Invalid format: [{whole}]: Pattern invalid as it contains ] without previous [");
                }

                i++;
                return FixAdjacentWidths(elements);
            }

            if (c == '[')
            {
                i++;
                elements.Add(Element.Optional(CompileSection(pattern, ref i, whole, nested: true)));
                continue;
            }

            if (c == '\'')
            {
                var end = i + 1;
                var literal = new System.Text.StringBuilder();
                while (true)
                {
                    if (end >= pattern.Length)
                    {
                        throw QueryErrors.IllegalArgument($"Invalid format: [{whole}]: Pattern ends with an incomplete string literal: {pattern}");
                    }

                    if (pattern[end] == '\'')
                    {
                        if (end + 1 < pattern.Length && pattern[end + 1] == '\'')
                        {
                            literal.Append('\'');
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    literal.Append(pattern[end]);
                    end++;
                }

                elements.Add(Element.Literal(literal.Length == 0 ? "'" : literal.ToString()));
                i = end + 1;
                continue;
            }

            if (c is '{' or '}' or '#')
            {
                throw QueryErrors.IllegalArgument($"Invalid format: [{whole}]: Pattern includes reserved character: '{c}'");
            }

            if (!char.IsAsciiLetter(c))
            {
                elements.Add(Element.Literal(c.ToString()));
                i++;
                continue;
            }

            var count = 1;
            while (i + count < pattern.Length && pattern[i + count] == c)
            {
                count++;
            }

            elements.Add(Letter(c, count, whole));
            i += count;
        }

        return FixAdjacentWidths(elements);
    }

    private static Element Letter(char letter, int count, string whole)
    {
        if (!ValidJavaLetters.Contains(letter, StringComparison.Ordinal))
        {
            throw QueryErrors.IllegalArgument($"Invalid format: [{whole}]: Unknown pattern letter: {letter}");
        }

        return (letter, count) switch
        {
            ('y' or 'u', 2) => Element.Number(DateField.TwoDigitYear, 2, 2),
            ('y' or 'u', _) => Element.Number(DateField.Year, count, 9),
            ('M', 1) => Element.Number(DateField.Month, 1, 2),
            ('M', 2) => Element.Number(DateField.Month, 2, 2),
            ('M', 3) => Element.MonthName(full: false),
            ('M', 4) => Element.MonthName(full: true),
            ('d' or 'H' or 'm' or 's', <= 2) => Element.Number(
                letter switch { 'd' => DateField.Day, 'H' => DateField.Hour, 'm' => DateField.Minute, _ => DateField.Second },
                count,
                2),
            ('S', <= 9) => Element.Number(DateField.Nanos, count, count),
            ('X' or 'x' or 'Z', <= 5) => Element.Offset(),
            _ => throw QueryErrors.Unsupported($"date format pattern letter [{new string(letter, count)}] in [{whole}]"),
        };
    }

    // Java's adjacent value parsing: in "yyyyMMdd" the year stops after its minimum width to leave digits for the
    // fixed-width fields after it.
    private static Element[] FixAdjacentWidths(List<Element> elements)
    {
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            if (elements[i].Kind == ElementKind.Number && elements[i + 1].Kind == ElementKind.Number)
            {
                elements[i] = elements[i] with { MaxDigits = elements[i].MinDigits };
            }
        }

        return [.. elements];
    }

    private enum DateField
    {
        Year,
        TwoDigitYear,
        Month,
        Day,
        Hour,
        Minute,
        Second,
        Nanos,
    }

    private enum ElementKind
    {
        Literal,
        Choice,
        Number,
        MonthName,
        Offset,
        Optional,
    }

    private abstract class DateFormat
    {
        public abstract bool TryParse(string text, bool roundUp, DateZone zone, out long millis);
    }

    /// <summary><c>epoch_millis</c> (multiplier 1) or <c>epoch_second</c> (1000): an optional sign, digits, an optional fraction.</summary>
    private sealed class EpochFormat(long multiplier) : DateFormat
    {
        public long Multiplier { get; } = multiplier;

        public override bool TryParse(string text, bool roundUp, DateZone zone, out long millis)
        {
            millis = 0;
            var body = text.StartsWith('-') ? text[1..] : text;
            var parts = body.Split('.');
            if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)) || (parts.Length == 2 && parts[1].Length == 0))
            {
                return false;
            }

            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            millis = (long)decimal.Floor(value * Multiplier);
            return true;
        }
    }

    private sealed record Element(ElementKind Kind, string[] Texts, DateField Field, int MinDigits, int MaxDigits, Element[] Children)
    {
        public static Element Literal(string text) => new(ElementKind.Literal, [text], default, 0, 0, []);

        public static Element Choice(params string[] texts) => new(ElementKind.Choice, texts, default, 0, 0, []);

        public static Element Number(DateField field, int min, int max) => new(ElementKind.Number, [], field, min, Math.Max(min, max), []);

        // MinDigits 1 marks full month names (MMMM), 0 abbreviations (MMM).
        public static Element MonthName(bool full) => new(ElementKind.MonthName, [], DateField.Month, full ? 1 : 0, 0, []);

        public static Element Offset() => new(ElementKind.Offset, [], default, 0, 0, []);

        public static Element Optional(Element[] children) => new(ElementKind.Optional, [], default, 0, 0, children);
    }

    private struct Fields
    {
        public int? Year;
        public int? Month;
        public int? Day;
        public int? Hour;
        public int? Minute;
        public int? Second;
        public int? Nanos;
        public TimeSpan? Offset;
    }

    private sealed class PatternFormat(Element[] elements) : DateFormat
    {
        private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
        private static readonly string[] MonthAbbreviations = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];

        public override bool TryParse(string text, bool roundUp, DateZone zone, out long millis)
        {
            millis = 0;
            var fields = default(Fields);
            var position = 0;
            if (!Match(elements, text, ref position, ref fields) || position != text.Length)
            {
                return false;
            }

            var year = fields.Year ?? 1970;
            var month = fields.Month ?? 1;
            var day = fields.Day ?? 1;
            var hour = fields.Hour ?? (roundUp ? 23 : 0);
            var minute = fields.Minute ?? (roundUp ? 59 : 0);
            var second = fields.Second ?? (roundUp ? 59 : 0);
            var nanos = fields.Nanos ?? (roundUp ? 999_999_999 : 0);
            if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(nanos / 100);
            var utc = fields.Offset is { } offset ? DateTime.SpecifyKind(local - offset, DateTimeKind.Utc) : zone.ToUtc(local);
            millis = DateMath.ToEpochMillis(utc);
            return true;
        }

        private static bool Match(Element[] sequence, string text, ref int position, ref Fields fields)
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

        private static bool Match(Element element, string text, ref int position, ref Fields fields)
        {
            switch (element.Kind)
            {
                case ElementKind.Literal:
                    if (string.CompareOrdinal(text, position, element.Texts[0], 0, element.Texts[0].Length) != 0)
                    {
                        return false;
                    }

                    position += element.Texts[0].Length;
                    return true;
                case ElementKind.Choice:
                    foreach (var choice in element.Texts)
                    {
                        if (string.CompareOrdinal(text, position, choice, 0, choice.Length) == 0)
                        {
                            position += choice.Length;
                            return true;
                        }
                    }

                    return false;
                case ElementKind.Optional:
                    var saved = (position, fields);
                    if (!Match(element.Children, text, ref position, ref fields))
                    {
                        (position, fields) = saved;
                    }

                    return true;
                case ElementKind.Offset:
                    return MatchOffset(text, ref position, ref fields);
                case ElementKind.MonthName:
                    return MatchMonthName(element.MinDigits == 1 ? MonthNames : MonthAbbreviations, text, ref position, ref fields);
                default:
                    return MatchNumber(element, text, ref position, ref fields);
            }
        }

        private static bool MatchNumber(Element element, string text, ref int position, ref Fields fields)
        {
            var digits = 0;
            while (digits < element.MaxDigits && position + digits < text.Length && char.IsAsciiDigit(text[position + digits]))
            {
                digits++;
            }

            if (digits < element.MinDigits || digits == 0)
            {
                return false;
            }

            var value = int.Parse(text.AsSpan(position, digits), NumberStyles.None, CultureInfo.InvariantCulture);
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
                case DateField.Hour:
                    fields.Hour = value;
                    break;
                case DateField.Minute:
                    fields.Minute = value;
                    break;
                case DateField.Second:
                    fields.Second = value;
                    break;
                default:
                    fields.Nanos = value * (int)Math.Pow(10, 9 - digits);
                    break;
            }

            position += digits;
            return true;
        }

        private static bool MatchOffset(string text, ref int position, ref Fields fields)
        {
            if (position < text.Length && text[position] == 'Z')
            {
                fields.Offset = TimeSpan.Zero;
                position++;
                return true;
            }

            var end = position;
            if (end < text.Length && text[end] is '+' or '-')
            {
                end++;
                while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == ':'))
                {
                    end++;
                }
            }

            if (end == position || !DateZone.TryParseOffset(text[position..end], out var offset))
            {
                return false;
            }

            fields.Offset = offset;
            position = end;
            return true;
        }

        private static bool MatchMonthName(string[] names, string text, ref int position, ref Fields fields)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (string.Compare(text, position, names[i], 0, names[i].Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    fields.Month = i + 1;
                    position += names[i].Length;
                    return true;
                }
            }

            return false;
        }
    }
}
