using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.JavaRules;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Reads JSON values as the numeric field types the way Elasticsearch's <c>NumberFieldMapper</c> reads them from its
/// JSON parser (Jackson), with the same errors:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A string needs <c>coerce</c> ("Long value passed as String" without). long parses it as a Java
/// <c>BigDecimal</c> (truncated; "For input string" otherwise); integer, short and byte go through
/// <c>Double.parseDouble</c> (a <c>number_format_exception</c> when that fails) and truncate; the floating types parse it
/// as Java does.</item>
/// <item>A JSON number is truncated toward zero for the integer types; out of the Java range it is Jackson's
/// <c>input_coercion_exception</c> (its message without Jackson's location suffix), except byte, which Elasticsearch
/// checks itself ("Value [200] is out of range for a byte"). Without <c>coerce</c> a fraction is
/// "1.5 cannot be converted to Long without data loss".</item>
/// <item>float and half_float values are rounded to their precision; a non-finite result is rejected.</item>
/// </list>
/// </remarks>
internal static class NumberValues
{
    /// <summary>Parses <paramref name="value"/> (a JSON string or number) as <paramref name="type"/>.</summary>
    public static ParsedNumber Parse(FieldType type, JsonNode value, bool coerce)
    {
        var kind = value.GetValueKind();
        if (kind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return ParsedNumber.Fail("illegal_argument_exception", $"Current token ({JsonTokens.Jackson(value)}) not numeric, can not use numeric value accessors");
        }

        if (kind == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            return coerce
                ? FieldTypes.IsInteger(type) ? IntegerFromString(type, text) : Floating(type, JavaNumbers.ParseDouble(text), text)
                : ParsedNumber.Fail("illegal_argument_exception", $"{JavaClassName(type)} value passed as String");
        }

        var number = value.ToJsonString();
        return FieldTypes.IsInteger(type) ? IntegerFromNumber(type, number, coerce) : Floating(type, double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture), number);
    }

    /// <summary>A numeric field's <c>null_value</c>, parsed as Elasticsearch parses it (from a Java object, without coercion), as a JSON number.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> when it is not a valid value of the type.</exception>
    public static JsonNode NullValue(FieldType type, JsonNode value)
    {
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new EngineException(400, "number_format_exception", $"For input string: \"{text}\"");
        }

        if (FieldTypes.IsFloatingPoint(type))
        {
            return JsonValue.Create(Round(type, number));
        }

        var (min, max) = Range(type);
        if (number < min || number > max)
        {
            throw EngineException.IllegalArgument($"Value [{text}] is out of range for {RangeName(type)}");
        }

        return number % 1 != 0
            ? throw EngineException.IllegalArgument($"Value [{text}] has a decimal part")
            : JsonValue.Create(long.Parse(JsonTokens.IsFloatLiteral(text) ? ((long)number).ToString(CultureInfo.InvariantCulture) : text, CultureInfo.InvariantCulture));
    }

    private static ParsedNumber IntegerFromString(FieldType type, string text)
    {
        if (type == FieldType.Long)
        {
            if (JavaNumbers.ParseLong(text) is { } exact)
            {
                return Integer(exact);
            }

            // Java's BigDecimal: digits, an optional fraction and exponent, nothing else (no spaces, no NaN).
            var big = JavaNumbers.ParseBigDecimal(text, out var outOfDecimalRange);
            if (big is null && !outOfDecimalRange)
            {
                return ParsedNumber.Fail("illegal_argument_exception", $"For input string: \"{text}\"");
            }

            return big is { } value && decimal.Truncate(value) is var whole && whole >= long.MinValue && whole <= long.MaxValue
                ? Integer((long)whole)
                : ParsedNumber.Fail("illegal_argument_exception", $"Value [{text}] is out of range for a long");
        }

        var parsed = JavaNumbers.ParseDouble(text);
        if (parsed is null)
        {
            return ParsedNumber.Fail("number_format_exception", $"For input string: \"{text}\"");
        }

        // integer, short: the range is checked on the double, then it is cast (NaN casts to 0 in Java).
        var rangeType = type == FieldType.Byte ? FieldType.Integer : type;
        var (min, max) = Range(rangeType);
        if (parsed < min || parsed > max)
        {
            return ParsedNumber.Fail("illegal_argument_exception", $"Value [{text}] is out of range for {RangeName(rangeType)}");
        }

        var truncated = double.IsNaN(parsed.Value) ? 0 : (long)Math.Truncate(parsed.Value);
        return type == FieldType.Byte ? Byte(truncated) : Integer(truncated);
    }

    private static ParsedNumber IntegerFromNumber(FieldType type, string text, bool coerce)
    {
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var isIntegerLiteral = !JsonTokens.IsFloatLiteral(text);
        var jacksonType = type == FieldType.Long ? FieldType.Long : FieldType.Integer;
        var (min, max) = Range(jacksonType);
        long truncated;
        if (isIntegerLiteral && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact) && exact >= min && exact <= max)
        {
            truncated = exact;
        }
        else if (!isIntegerLiteral && value >= min && value <= max)
        {
            // Java's double-to-long cast saturates at Long.MAX_VALUE (2^63 is the largest double in range).
            truncated = value >= 9.2233720368547758E18 ? long.MaxValue : (long)Math.Truncate(value);
        }
        else
        {
            var range = jacksonType == FieldType.Long ? "long (-9223372036854775808 - 9223372036854775807)" : "int (-2147483648 - 2147483647)";
            return ParsedNumber.Fail("input_coercion_exception", $"Numeric value ({text}) out of range of {range}");
        }

        if (type == FieldType.Short && truncated is < short.MinValue or > short.MaxValue)
        {
            return ParsedNumber.Fail("input_coercion_exception", $"Numeric value ({text}) out of range of Java short");
        }

        if (!coerce && truncated != value)
        {
            return ParsedNumber.Fail("illegal_argument_exception", $"{JavaNumberText.Double(value)} cannot be converted to {JavaClassName(type == FieldType.Byte ? FieldType.Integer : type)} without data loss");
        }

        return type == FieldType.Byte ? Byte(truncated) : Integer(truncated);
    }

    private static ParsedNumber Byte(long value) =>
        value is < sbyte.MinValue or > sbyte.MaxValue
            ? ParsedNumber.Fail("illegal_argument_exception", $"Value [{value.ToString(CultureInfo.InvariantCulture)}] is out of range for a byte")
            : Integer(value);

    private static ParsedNumber Integer(long value) => new(value, value, null, null);

    private static ParsedNumber Floating(FieldType type, double? parsed, string text)
    {
        if (parsed is null)
        {
            return ParsedNumber.Fail("number_format_exception", $"For input string: \"{text}\"");
        }

        var value = type == FieldType.Double ? parsed.Value : (float)parsed.Value;
        if (!double.IsFinite(value))
        {
            var shown = type == FieldType.Double ? JavaNumberText.Double(value) : JavaNumberText.Float((float)value);
            return ParsedNumber.Fail("illegal_argument_exception", $"[{FieldTypes.Name(type)}] supports only finite values, but got [{shown}]");
        }

        var stored = Round(type, parsed.Value);
        return new ParsedNumber((long)stored, stored, null, null);
    }

    /// <summary>The value a float or half_float field indexes for <paramref name="value"/> (a double is kept).</summary>
    public static double Round(FieldType type, double value) => type switch
    {
        FieldType.Float => (float)value,
        FieldType.HalfFloat => (double)(float)(Half)(float)value,
        _ => value,
    };

    /// <summary>Elasticsearch's article and Java type name for an integer type's range ("an integer", "a long").</summary>
    public static string RangeName(FieldType type) => type switch
    {
        FieldType.Integer => "an integer",
        FieldType.Short => "a short",
        FieldType.Byte => "a byte",
        _ => "a long",
    };

    private static string JavaClassName(FieldType type) => type switch
    {
        FieldType.Long => "Long",
        FieldType.Integer => "Integer",
        FieldType.Short => "Short",
        FieldType.Byte => "Integer",
        FieldType.Double => "Double",
        _ => "Float",
    };

    /// <summary>An integer type's range of values (long for any other type).</summary>
    public static (double Min, double Max) Range(FieldType type) => type switch
    {
        FieldType.Integer => (int.MinValue, int.MaxValue),
        FieldType.Short => (short.MinValue, short.MaxValue),
        FieldType.Byte => (sbyte.MinValue, sbyte.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };
}
