using System.Globalization;

namespace Rerank.LuceneBaseline.JavaRules;

/// <summary>
/// Java's <c>Float.toString</c> and <c>Double.toString</c>, which Elasticsearch's messages print: the shortest digits
/// that round-trip, plain between 10^-3 and 10^7 ("1.0", "0.5", "1234567.0"), else computerized scientific
/// ("1.0E-5", "1.2345678E7").
/// </summary>
internal static class JavaNumberText
{
    public static string Float(float value) =>
        float.IsFinite(value) ? Layout(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture), Math.Abs(value), value < 0 || float.IsNegative(value)) : NonFinite(value);

    public static string Double(double value) =>
        double.IsFinite(value) ? Layout(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture), Math.Abs(value), value < 0 || double.IsNegative(value)) : NonFinite(value);

    private static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static string Layout(string shortest, double magnitude, bool negative)
    {
        if (magnitude == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        // Digits and the decimal exponent of the first digit, from .NET's shortest round-trip text.
        var e = shortest.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var digits = integerPart + (point < 0 ? "" : mantissa[(point + 1)..]);
        var pointPosition = integerPart.Length + (e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        while (digits.Length > 1 && digits[0] == '0')
        {
            digits = digits[1..];
            pointPosition--;
        }

        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var exponent = pointPosition - 1;
        string body;
        if (magnitude is >= 1e-3 and < 1e7)
        {
            if (exponent >= 0)
            {
                var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
                var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
                body = whole + "." + fraction;
            }
            else
            {
                body = "0." + new string('0', -exponent - 1) + digits;
            }
        }
        else
        {
            body = digits[..1] + "." + (digits.Length > 1 ? digits[1..] : "0") + "E" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + body : body;
    }
}
