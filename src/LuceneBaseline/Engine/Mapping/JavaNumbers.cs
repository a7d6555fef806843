using System.Globalization;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Java's number parsing rules, which decide what Elasticsearch accepts as a number in documents (numeric fields,
/// numeric detection) and in query JSON: <c>Double.parseDouble</c> trims spaces and takes an optional <c>f</c>/<c>d</c>
/// suffix; <c>Integer.parseInt</c> and <c>Long.parseLong</c> take only an optional sign and ASCII digits;
/// <c>new BigDecimal</c> takes no spaces, suffix or NaN. Stateless and thread-safe.
/// </summary>
internal static class JavaNumbers
{
    // Java's String.trim() removes every char up to and including ' '.
    private static readonly char[] JavaWhitespace = Enumerable.Range(0, 33).Select(c => (char)c).ToArray();

    /// <summary><c>Double.parseDouble</c>, or null where Java throws <c>NumberFormatException</c>.</summary>
    public static double? ParseDouble(string text)
    {
        var trimmed = text.Trim(JavaWhitespace);
        if (trimmed is "NaN" or "+NaN" or "-NaN")
        {
            return double.NaN;
        }

        if (trimmed is "Infinity" or "+Infinity")
        {
            return double.PositiveInfinity;
        }

        if (trimmed == "-Infinity")
        {
            return double.NegativeInfinity;
        }

        if (trimmed.Length > 1 && trimmed[^1] is 'f' or 'F' or 'd' or 'D')
        {
            trimmed = trimmed[..^1];
        }

        if (trimmed.Length == 0 || !IsDecimalLiteral(trimmed))
        {
            return null;
        }

        return double.Parse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary><c>Integer.parseInt</c>, or null where Java throws <c>NumberFormatException</c>.</summary>
    public static int? ParseInt(string text) =>
        IsIntegerLiteral(text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary><c>Long.parseLong</c>, or null where Java throws <c>NumberFormatException</c>.</summary>
    public static long? ParseLong(string text) =>
        IsIntegerLiteral(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary><c>new BigDecimal(text)</c>: a plain or exponent decimal, or null when Java rejects it.</summary>
    public static decimal? ParseBigDecimal(string text, out bool outOfDecimalRange)
    {
        outOfDecimalRange = false;
        if (text.Length == 0 || !IsDecimalLiteral(text))
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        outOfDecimalRange = true;
        return null;
    }

    private static bool IsIntegerLiteral(string text)
    {
        var start = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    // [sign] digits [. digits] [(e|E) [sign] digits], with at least one digit before or after the point.
    private static bool IsDecimalLiteral(string text)
    {
        var i = 0;
        if (text[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
