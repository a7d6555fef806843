using System.Text;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Compiles a java.time <c>DateTimeFormatter</c> pattern (<c>yyyy/MM/dd HH:mm:ss</c>) into <see cref="DateElement"/>s
/// with java.time's widths: <c>y</c>/<c>u</c> 1 (1+ digits), 2 (two-digit year, 2000..2099), 3 (3+), 4+ (exactly that
/// many, as <c>SignStyle.EXCEEDS_PAD</c> reads unsigned text); <c>M d H m s</c> 1 (1-2 digits) or 2 (exactly 2);
/// <c>D</c> 1-3; <c>S</c>xn exactly n fraction digits; <c>MMM</c>/<c>MMMM</c> and <c>E</c>/<c>EEEE</c> English
/// names (case-sensitive); offsets <c>X x Z</c> in java.time's styles; quoted literals and <c>[optional]</c> sections.
/// </summary>
internal static class JavaDatePattern
{
    // Every letter java.time gives a meaning; the others are "Unknown pattern letter".
    private const string JavaLetters = "GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZpg";

    /// <exception cref="ArgumentException">java.time's message for a bad pattern, or the engine's for a letter it lacks.</exception>
    public static DateElement[] Compile(string pattern)
    {
        var position = 0;
        return Section(pattern, ref position, nested: false);
    }

    private static DateElement[] Section(string pattern, ref int i, bool nested)
    {
        var elements = new List<DateElement>();
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == ']')
            {
                if (!nested)
                {
                    throw new ArgumentException("Pattern invalid as it contains ] without previous [");
                }

                i++;
                return [.. elements];
            }

            if (c == '[')
            {
                i++;
                elements.Add(DateElement.Optional(Section(pattern, ref i, nested: true)));
                continue;
            }

            if (c == '\'')
            {
                elements.Add(DateElement.Literal(QuotedLiteral(pattern, ref i)));
                continue;
            }

            if (c is '{' or '}' or '#')
            {
                throw new ArgumentException($"Pattern includes reserved character: '{c}'");
            }

            if (!char.IsAsciiLetter(c))
            {
                elements.Add(DateElement.Literal(c.ToString()));
                i++;
                continue;
            }

            var count = 1;
            while (i + count < pattern.Length && pattern[i + count] == c)
            {
                count++;
            }

            elements.Add(Letter(c, count));
            i += count;
        }

        return [.. elements];
    }

    private static string QuotedLiteral(string pattern, ref int i)
    {
        var end = i + 1;
        var literal = new StringBuilder();
        while (true)
        {
            if (end >= pattern.Length)
            {
                throw new ArgumentException($"Pattern ends with an incomplete string literal: {pattern}");
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

        i = end + 1;
        return literal.Length == 0 ? "'" : literal.ToString();
    }

    private static DateElement Letter(char letter, int count)
    {
        if (!JavaLetters.Contains(letter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Unknown pattern letter: {letter}");
        }

        var tooMany = new ArgumentException($"Too many pattern letters: {letter}");
        switch (letter)
        {
            case 'y' or 'u':
                return count switch
                {
                    2 => DateElement.Number(DateField.TwoDigitYear, 2, 2),
                    1 or 3 => DateElement.Number(DateField.Year, count, 19),
                    _ => DateElement.Number(DateField.Year, count, count),
                };
            case 'M' or 'L':
                return count switch
                {
                    1 => DateElement.Number(DateField.Month, 1, 2),
                    2 => DateElement.Number(DateField.Month, 2, 2),
                    3 => DateElement.MonthText(full: false),
                    4 => DateElement.MonthText(full: true),
                    5 => throw Unsupported(letter, count),
                    _ => throw tooMany,
                };
            case 'd' or 'H' or 'm' or 's':
                var field = letter switch { 'd' => DateField.Day, 'H' => DateField.Hour, 'm' => DateField.Minute, _ => DateField.Second };
                return count <= 2 ? DateElement.Number(field, count, 2) : throw tooMany;
            case 'D':
                return count switch
                {
                    1 => DateElement.Number(DateField.DayOfYear, 1, 3),
                    2 or 3 => DateElement.Number(DateField.DayOfYear, count, 3),
                    _ => throw tooMany,
                };
            case 'S':
                return count <= 9 ? DateElement.Fraction(count, count, decimalPoint: false) : throw new ArgumentException($"Minimum width must be from 0 to 9 inclusive but was {count}");
            case 'E':
                return count switch
                {
                    <= 3 => DateElement.DayOfWeekText(full: false),
                    4 => DateElement.DayOfWeekText(full: true),
                    5 => throw Unsupported(letter, count),
                    _ => throw tooMany,
                };
            case 'X' or 'x':
                var zero = letter == 'X' ? "Z" : count switch { 1 => "+00", 2 or 4 => "+0000", _ => "+00:00" };
                return count switch
                {
                    1 => DateElement.Offset(new DateOffsetStyle("+HHmm", zero)),
                    2 => DateElement.Offset(new DateOffsetStyle("+HHMM", zero)),
                    3 => DateElement.Offset(new DateOffsetStyle("+HH:MM", zero)),
                    4 => DateElement.Offset(new DateOffsetStyle("+HHMMss", zero)),
                    5 => DateElement.Offset(new DateOffsetStyle("+HH:MM:ss", zero)),
                    _ => throw tooMany,
                };
            case 'Z':
                return count switch
                {
                    <= 3 => DateElement.Offset(new DateOffsetStyle("+HHMM", "+0000")),
                    4 => throw Unsupported(letter, count),
                    5 => DateElement.Offset(new DateOffsetStyle("+HH:MM:ss", "Z")),
                    _ => throw tooMany,
                };
            default:
                throw Unsupported(letter, count);
        }
    }

    private static ArgumentException Unsupported(char letter, int count) =>
        new($"the embedded engine does not support the pattern letters [{new string(letter, count)}]");
}
