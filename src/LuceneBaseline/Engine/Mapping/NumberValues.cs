using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Reads JSON values as the numeric field types, following Elasticsearch's <c>NumberFieldMapper</c>: strings are
/// accepted only with <c>coerce</c>; fractions are truncated toward zero for the integer types with <c>coerce</c>
/// and rejected without it; each integer type has its Java range; float and half_float are rounded to their
/// precision; non-finite values are rejected.
/// </summary>
internal static class NumberValues
{
    /// <summary>Parses <paramref name="value"/> (a JSON string or number) as <paramref name="type"/>.</summary>
    public static ParsedNumber Parse(FieldType type, JsonNode value, bool coerce)
    {
        var kind = value.GetValueKind();
        if (kind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            var token = kind switch
            {
                JsonValueKind.True => "VALUE_TRUE",
                JsonValueKind.False => "VALUE_FALSE",
                JsonValueKind.Object => "START_OBJECT",
                _ => "START_ARRAY",
            };
            return ParsedNumber.Fail("illegal_argument_exception", $"Current token ({token}) not numeric, can not use numeric value accessors");
        }

        var isString = kind == JsonValueKind.String;
        var text = isString ? value.GetValue<string>() : value.ToJsonString();
        if (isString && !coerce)
        {
            return ParsedNumber.Fail("illegal_argument_exception", $"{JavaClassName(type)} value passed as String");
        }

        return FieldTypes.IsInteger(type) ? ParseInteger(type, text, coerce, isString) : ParseFloating(type, text);
    }

    /// <summary>A numeric field's <c>null_value</c>, parsed without coercion (as Elasticsearch does) and returned as a JSON number.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> when it is not a valid value of the type.</exception>
    public static JsonNode NullValue(FieldType type, JsonNode value)
    {
        // Elasticsearch parses the mapping's null_value from a Java object, so a numeric string is accepted here.
        var number = value.GetValueKind() == JsonValueKind.String
            ? Parse(type, JsonValue.Create(value.GetValue<string>())!, coerce: true)
            : Parse(type, value, coerce: false);
        if (!number.Success)
        {
            throw new EngineException(400, number.ErrorType!, number.Error!);
        }

        return FieldTypes.IsInteger(type) ? JsonValue.Create(number.Integer) : JsonValue.Create(number.Floating);
    }

    /// <summary>The Java type name Elasticsearch's messages use for an integer type ("a long", "an integer").</summary>
    private static string RangeName(FieldType type) => type switch
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
        FieldType.Byte => "Byte",
        FieldType.Double => "Double",
        _ => "Float",
    };

    private static (long Min, long Max) Range(FieldType type) => type switch
    {
        FieldType.Integer => (int.MinValue, int.MaxValue),
        FieldType.Short => (short.MinValue, short.MaxValue),
        FieldType.Byte => (sbyte.MinValue, sbyte.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    private static ParsedNumber ParseInteger(FieldType type, string text, bool coerce, bool isString)
    {
        var (min, max) = Range(type);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact))
        {
            return exact < min || exact > max ? OutOfRange(type, text) : new ParsedNumber(exact, exact, null, null);
        }

        // Strings must look like a decimal number (Java's BigDecimal); JSON numbers already are one.
        var styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var number))
        {
            if (double.TryParse(text, styles, CultureInfo.InvariantCulture, out var huge) && double.IsFinite(huge))
            {
                return OutOfRange(type, text);
            }

            return isString
                ? ParsedNumber.Fail("illegal_argument_exception", $"For input string: \"{text}\"")
                : OutOfRange(type, text);
        }

        var truncated = decimal.Truncate(number);
        if (truncated < min || truncated > max)
        {
            return OutOfRange(type, text);
        }

        if (truncated != number && !coerce)
        {
            return ParsedNumber.Fail("illegal_argument_exception", $"Value [{text}] has a decimal part");
        }

        var integer = (long)truncated;
        return new ParsedNumber(integer, integer, null, null);
    }

    private static ParsedNumber OutOfRange(FieldType type, string text) =>
        ParsedNumber.Fail("illegal_argument_exception", $"Value [{text}] is out of range for {RangeName(type)}");

    private static ParsedNumber ParseFloating(FieldType type, string text)
    {
        double value;
        if (text is "NaN" or "Infinity" or "-Infinity" or "+Infinity")
        {
            value = text == "NaN" ? double.NaN : text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }
        else if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return ParsedNumber.Fail("number_format_exception", $"For input string: \"{text}\"");
        }

        // float and half_float are parsed as a Java float first; the finiteness check sees that float.
        var parsed = type == FieldType.Double ? value : (float)value;
        if (!double.IsFinite(parsed))
        {
            return ParsedNumber.Fail(
                "illegal_argument_exception", $"[{FieldTypes.Name(type)}] supports only finite values, but got [{JavaDouble(parsed, type)}]");
        }

        var stored = type switch
        {
            FieldType.Float => (float)value,
            FieldType.HalfFloat => (double)(float)(Half)(float)value,
            _ => value,
        };
        return new ParsedNumber((long)stored, stored, null, null);
    }

    private static string JavaDouble(double value, FieldType type) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => type == FieldType.Double ? value.ToString("R", CultureInfo.InvariantCulture) : ((float)value).ToString("R", CultureInfo.InvariantCulture),
    };
}
