using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.JavaRules;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Query values for numeric fields, parsed as Elasticsearch's <c>NumberFieldMapper.NumberType</c> parses them:
/// JSON numbers or numeric strings; integer types reject out-of-range values and truncate decimals where they coerce;
/// floating types reject non-finite values. Errors are the Java exceptions Elasticsearch raises (a shard failure
/// once wrapped).
/// </summary>
internal static class QueryNumbers
{
    /// <summary>Elasticsearch's <c>hasDecimalPart</c>: whether the value has a fractional part.</summary>
    public static bool HasDecimalPart(JsonNode value) => ObjectToDouble(value) % 1 != 0;

    /// <summary>Whether the value is below zero (Elasticsearch's <c>signum</c>, used to round decimal bounds).</summary>
    public static int Signum(JsonNode value) => Math.Sign(ObjectToDouble(value));

    /// <summary>An integer type's value (long, integer, short, byte), fractions truncated (<c>coerce</c>).</summary>
    public static long ParseInteger(FieldType type, JsonNode value)
    {
        if (type == FieldType.Long)
        {
            return ObjectToLong(value);
        }

        var number = ObjectToDouble(value);
        var (min, max) = NumberValues.Range(type);
        if (number < min || number > max)
        {
            throw QueryErrors.IllegalArgument($"Value [{JsonArgs.ValueText(value)}] is out of range for {NumberValues.RangeName(type)}");
        }

        return (long)number;
    }

    /// <summary>A floating type's value (double, float, half_float), rounded to the type's precision.</summary>
    public static double ParseFloating(FieldType type, JsonNode value)
    {
        var number = ObjectToDouble(value);
        var parsed = type == FieldType.Double ? number : (float)number;
        if (!double.IsFinite(parsed))
        {
            throw QueryErrors.IllegalArgument($"[{FieldTypes.Name(type)}] supports only finite values, but got [{JavaNumberText.Double(parsed)}]");
        }

        return parsed;
    }

    /// <summary>Elasticsearch's <c>objectToDouble</c>: a JSON number, or any other value's text through <c>Double.parseDouble</c>.</summary>
    public static double ObjectToDouble(JsonNode value)
    {
        if (JsonArgs.IsNumber(value))
        {
            return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        var text = JsonArgs.ValueText(value);
        return JavaNumbers.ParseDouble(text) ?? throw QueryErrors.NumberFormat(text);
    }

    // Elasticsearch's objectToLong with coercion: exact for long literals, otherwise through BigDecimal, truncated.
    private static long ObjectToLong(JsonNode value)
    {
        var text = JsonArgs.ValueText(value);
        if (JavaNumbers.ParseLong(text) is { } exact)
        {
            return exact;
        }

        var number = ObjectToDouble(value);
        if (number < long.MinValue || number > long.MaxValue)
        {
            throw QueryErrors.IllegalArgument($"Value [{text}] is out of range for a long");
        }

        var big = JavaNumbers.ParseBigDecimal(text, out var outOfRange);
        if (big is null)
        {
            throw outOfRange
                ? QueryErrors.IllegalArgument($"Value [{text}] is out of range for a long")
                : QueryErrors.IllegalArgument($"For input string: \"{text}\"");
        }

        var truncated = decimal.Truncate(big.Value);
        if (truncated >= 9223372036854775808m || truncated < -9223372036854775808m)
        {
            throw QueryErrors.IllegalArgument($"Value [{text}] is out of range for a long");
        }

        return (long)truncated;
    }
}
