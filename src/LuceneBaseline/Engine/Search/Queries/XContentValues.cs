using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Reads JSON values the way Elasticsearch's <c>XContentParser</c> accessors do (<c>text()</c>, <c>floatValue()</c>,
/// <c>booleanValue()</c>, ...): numbers given as strings are coerced, and a wrong token fails with the error
/// Elasticsearch gives.
/// </summary>
internal static class XContentValues
{
    /// <summary>The Jackson token name Elasticsearch reports for a JSON value (<c>START_OBJECT</c>, <c>VALUE_STRING</c>, ...).</summary>
    public static string TokenName(JsonNode? node) => node switch
    {
        null => "VALUE_NULL",
        JsonObject => "START_OBJECT",
        JsonArray => "START_ARRAY",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "VALUE_STRING",
            JsonValueKind.Number => "VALUE_NUMBER",
            JsonValueKind.True or JsonValueKind.False => "VALUE_BOOLEAN",
            _ => "VALUE_NULL",
        },
    };

    /// <summary>Whether the token is a scalar value (Elasticsearch's <c>Token.isValue()</c>: string, number, boolean; not null).</summary>
    public static bool IsValue(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    public static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;

    public static bool IsString(JsonNode? node) => node is JsonValue && node.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => node is JsonValue && node.GetValueKind() == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => node is JsonValue && node.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary><c>text()</c>: the string, the number's JSON text, or <c>true</c>/<c>false</c>; anything else is an illegal state (500).</summary>
    public static string Text(JsonNode? node)
    {
        if (!IsValue(node))
        {
            throw QueryErrors.IllegalState($"Can't get text on a {TokenName(node)}");
        }

        return node!.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => NumberText(node),
        };
    }

    /// <summary><c>textOrNull()</c>.</summary>
    public static string? TextOrNull(JsonNode? node) => IsNull(node) ? null : Text(node);

    /// <summary>The text Java gives a parsed number (<c>Long.toString</c> for integers; the JSON text otherwise).</summary>
    public static string NumberText(JsonNode node)
    {
        var raw = node.ToJsonString();
        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? integer.ToString(CultureInfo.InvariantCulture)
            : raw;
    }

    /// <summary><c>floatValue()</c>: a number, or a string Java's <c>Float.parseFloat</c> accepts.</summary>
    public static float FloatValue(JsonNode? node) => (float)DoubleValue(node);

    /// <summary><c>doubleValue()</c>: a number, or a string Java's <c>Double.parseDouble</c> accepts.</summary>
    public static double DoubleValue(JsonNode? node)
    {
        if (IsNumber(node))
        {
            return double.Parse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (IsString(node))
        {
            var text = node!.GetValue<string>();
            return JavaNumbers.ParseDouble(text) ?? throw QueryErrors.NumberFormat(text);
        }

        throw NotNumeric(node);
    }

    /// <summary><c>intValue()</c>: a number (fractions truncated), or a string parsed as a double then truncated.</summary>
    public static int IntValue(JsonNode? node)
    {
        if (IsNumber(node))
        {
            var value = double.Parse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw QueryErrors.XContentParse($"Numeric value ({node.ToJsonString()}) out of range of int (-2147483648 - 2147483647)");
            }

            return (int)value;
        }

        if (IsString(node))
        {
            var text = node!.GetValue<string>();
            var value = JavaNumbers.ParseDouble(text) ?? throw QueryErrors.NumberFormat(text);
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw QueryErrors.IllegalArgument($"Value [{text}] is out of range for an integer");
            }

            return (int)value;
        }

        throw NotNumeric(node);
    }

    /// <summary><c>booleanValue()</c>: a JSON boolean, or the strings <c>true</c>/<c>false</c>.</summary>
    public static bool BooleanValue(JsonNode? node)
    {
        if (IsBoolean(node))
        {
            return node!.GetValueKind() == JsonValueKind.True;
        }

        if (IsString(node))
        {
            var text = node!.GetValue<string>();
            return text switch
            {
                "true" => true,
                "false" => false,
                _ => throw QueryErrors.IllegalArgument($"Failed to parse value [{text}] as only [true] or [false] are allowed."),
            };
        }

        throw QueryErrors.XContentParse($"Current token ({JacksonToken(node)}) not of boolean type");
    }

    private static EngineException NotNumeric(JsonNode? node) =>
        QueryErrors.XContentParse($"Current token ({JacksonToken(node)}) not numeric, can not use numeric value accessors");

    private static string JacksonToken(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => "VALUE_TRUE",
        JsonValueKind.False => "VALUE_FALSE",
        JsonValueKind.Number => "VALUE_NUMBER_INT",
        _ => TokenName(node),
    };
}
