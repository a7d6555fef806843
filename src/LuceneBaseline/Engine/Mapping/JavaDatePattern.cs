using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// A java.time <c>DateTimeFormatter</c> pattern (<c>yyyy/MM/dd HH:mm:ss</c>) compiled to a regular expression for
/// parsing and a printer. Missing fields default to 1970-01-01T00:00:00 UTC. Immutable and thread-safe.
/// </summary>
internal sealed class JavaDatePattern
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
    private static readonly string[] MonthShortNames = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames[..12];
    private static readonly string[] DayNames = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;
    private static readonly string[] DayShortNames = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames;

    // Letters java.time knows but this engine does not parse (week-based fields, eras, 12-hour clocks, zone names...).
    private const string JavaLetters = "GuyDMLdQqYwWEeFaBhKkHmsSAnNVvzOXxZpgc";

    private readonly Regex _regex;
    private readonly List<Token> _tokens;

    private JavaDatePattern(Regex regex, List<Token> tokens)
    {
        _regex = regex;
        _tokens = tokens;
    }

    /// <exception cref="ArgumentException">A pattern letter is unknown or unsupported, or a quote or bracket is unbalanced.</exception>
    public static JavaDatePattern Compile(string pattern)
    {
        var tokens = Tokenize(pattern);
        var regex = new StringBuilder("^");
        foreach (var token in tokens)
        {
            regex.Append(token.Regex);
        }

        regex.Append('$');
        return new JavaDatePattern(new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase), tokens);
    }

    /// <summary>Epoch milliseconds, or null when <paramref name="text"/> does not match or a field is out of range.</summary>
    public long? Parse(string text)
    {
        var match = _regex.Match(text);
        if (!match.Success)
        {
            return null;
        }

        int Number(string group, int fallback) =>
            match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : fallback;

        var year = Number("y", 1970);
        if (match.Groups["yy"].Success)
        {
            year = 2000 + int.Parse(match.Groups["yy"].Value, CultureInfo.InvariantCulture);
        }

        var month = Number("M", 1);
        if (match.Groups["Mn"].Success)
        {
            month = MonthIndex(match.Groups["Mn"].Value) + 1;
        }

        var fraction = match.Groups["S"].Success ? match.Groups["S"].Value : "";
        var zone = match.Groups["z"].Success ? match.Groups["z"].Value : "";
        return DateFormat.ToEpochMillis(year, month, Number("d", 1), Number("H", 0), Number("m", 0), Number("s", 0), fraction, DateFormat.ParseOffsetMinutes(zone));
    }

    /// <summary>Prints <paramref name="epochMillis"/> in UTC; optional sections are printed.</summary>
    public string Format(long epochMillis)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(epochMillis).UtcDateTime;
        var text = new StringBuilder();
        foreach (var token in _tokens)
        {
            text.Append(token.Print(time));
        }

        return text.ToString();
    }

    private static int MonthIndex(string name)
    {
        var index = Array.FindIndex(MonthNames, m => m.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : Array.FindIndex(MonthShortNames, m => m.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private static List<Token> Tokenize(string pattern)
    {
        var tokens = new List<Token>();
        var depth = 0;
        for (var i = 0; i < pattern.Length;)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                var end = pattern.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new ArgumentException($"Pattern ends with an incomplete string literal: {pattern}");
                }

                var literal = end == i + 1 ? "'" : pattern[(i + 1)..end];
                tokens.Add(Token.Literal(literal));
                i = end + 1;
                continue;
            }

            if (c == '[')
            {
                depth++;
                tokens.Add(new Token("(?:", _ => ""));
                i++;
                continue;
            }

            if (c == ']')
            {
                if (depth == 0)
                {
                    throw new ArgumentException("Pattern invalid as it contains ] without previous [");
                }

                depth--;
                tokens.Add(new Token(")?", _ => ""));
                i++;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                tokens.Add(Token.Literal(c.ToString()));
                i++;
                continue;
            }

            var count = 1;
            while (i + count < pattern.Length && pattern[i + count] == c)
            {
                count++;
            }

            tokens.Add(Field(c, count));
            i += count;
        }

        for (; depth > 0; depth--)
        {
            tokens.Add(new Token(")?", _ => ""));
        }

        return tokens;
    }

    private static Token Field(char letter, int count)
    {
        static string Two(int value) => value.ToString("00", CultureInfo.InvariantCulture);
        return (letter, count) switch
        {
            ('y' or 'u', 2) => new Token(@"(?<yy>\d{2})", t => Two(t.Year % 100)),
            ('y' or 'u', _) => new Token(count >= 4 ? @"(?<y>\d{4,9})" : @"(?<y>\d{1,9})", t => t.Year.ToString(new string('0', Math.Max(count, 1)), CultureInfo.InvariantCulture)),
            ('M' or 'L', 1) => new Token(@"(?<M>\d{1,2})", t => t.Month.ToString(CultureInfo.InvariantCulture)),
            ('M' or 'L', 2) => new Token(@"(?<M>\d{2})", t => Two(t.Month)),
            ('M' or 'L', 3) => new Token($"(?<Mn>{string.Join('|', MonthShortNames)})", t => MonthShortNames[t.Month - 1]),
            ('M' or 'L', 4) => new Token($"(?<Mn>{string.Join('|', MonthNames)})", t => MonthNames[t.Month - 1]),
            ('d', 1) => new Token(@"(?<d>\d{1,2})", t => t.Day.ToString(CultureInfo.InvariantCulture)),
            ('d', 2) => new Token(@"(?<d>\d{2})", t => Two(t.Day)),
            ('H', 1) => new Token(@"(?<H>\d{1,2})", t => t.Hour.ToString(CultureInfo.InvariantCulture)),
            ('H', 2) => new Token(@"(?<H>\d{2})", t => Two(t.Hour)),
            ('m', 1) => new Token(@"(?<m>\d{1,2})", t => t.Minute.ToString(CultureInfo.InvariantCulture)),
            ('m', 2) => new Token(@"(?<m>\d{2})", t => Two(t.Minute)),
            ('s', 1) => new Token(@"(?<s>\d{1,2})", t => t.Second.ToString(CultureInfo.InvariantCulture)),
            ('s', 2) => new Token(@"(?<s>\d{2})", t => Two(t.Second)),
            ('S', <= 9) => new Token($@"(?<S>\d{{{count}}})", t => t.Millisecond.ToString("000", CultureInfo.InvariantCulture).PadRight(count, '0')[..count]),
            ('E', 1 or 2 or 3) => new Token($"(?:{string.Join('|', DayShortNames)})", t => DayShortNames[(int)t.DayOfWeek]),
            ('E', 4) => new Token($"(?:{string.Join('|', DayNames)})", t => DayNames[(int)t.DayOfWeek]),
            ('Z', <= 3) => new Token(@"(?<z>[+-]\d{4})", _ => "+0000"),
            ('Z', 5) or ('X' or 'x', 3) => new Token(@"(?<z>Z|[+-]\d{2}(?::?\d{2})?)", _ => "Z"),
            ('X' or 'x', 1 or 2) => new Token(@"(?<z>Z|[+-]\d{2}(?:\d{2})?)", _ => "Z"),
            _ when JavaLetters.Contains(letter, StringComparison.Ordinal) =>
                throw new ArgumentException($"the embedded engine does not support the pattern letters [{new string(letter, count)}]"),
            _ => throw new ArgumentException($"Unknown pattern letter: {letter}"),
        };
    }

    /// <summary>A piece of the pattern: its regular expression and how it prints a UTC time.</summary>
    private sealed record Token(string Regex, Func<DateTime, string> Print)
    {
        public static Token Literal(string text) => new(System.Text.RegularExpressions.Regex.Escape(text), _ => text);
    }
}
