using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Reads request values (search body, aggregations, query DSL) the way Elasticsearch's x-content parser accessors do
/// (<c>text()</c>, <c>intValue()</c>, <c>floatValue()</c>, <c>booleanValue()</c>, ...): numbers may come as strings
/// ("10", parsed as Java parses them), booleans as "true"/"false", and a value of the wrong kind fails with the
/// parser's own message. Stateless and thread-safe.
/// </summary>
internal static class JsonArgs
{
    /// <summary>Elasticsearch's token name for a JSON value (<c>VALUE_STRING</c>, <c>START_OBJECT</c>, ...).</summary>
    public static string TokenName(JsonNode? node) => JsonTokens.XContent(node);

    /// <summary>Whether the node is a scalar or null (Elasticsearch's <c>token.isValue()</c>).</summary>
    public static bool IsValue(JsonNode? node) => node is null or JsonValue;

    /// <summary>Whether the node is a string, number or boolean (a scalar that is not null).</summary>
    public static bool IsScalar(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    public static bool IsNull(JsonNode? node) => node is null || node.GetValueKind() == JsonValueKind.Null;

    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>The raw text of a scalar: a string's value, a number's JSON text, <c>true</c>/<c>false</c>.</summary>
    public static string Text(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    /// <summary>
    /// The parser's <c>text()</c>: the string, the number's text as Java gives it (<see cref="NumberText"/>), or
    /// <c>true</c>/<c>false</c>; anything else is an illegal state (500).
    /// </summary>
    public static string ParserText(JsonNode? node)
    {
        if (!IsScalar(node))
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

    /// <summary>A query value as messages and terms show it: a scalar's <see cref="ParserText"/>, anything else as JSON.</summary>
    public static string ValueText(JsonNode value) => IsScalar(value) ? ParserText(value) : value.ToJsonString();

    /// <summary>
    /// A number, or a scalar's text parsed leniently by .NET (values the engine reads back from a source or a sort's
    /// <c>missing</c>, not request parameters).
    /// </summary>
    /// <exception cref="FormatException">The text is not a number.</exception>
    public static double CoerceDouble(JsonNode node) =>
        IsNumber(node) ? Number(node) : double.Parse(Text(node), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The parser's <c>textOrNull()</c>.</summary>
    public static string? ParserTextOrNull(JsonNode? node) => IsNull(node) ? null : ParserText(node);

    /// <summary>The text Java gives a parsed number (<c>Long.toString</c> for integers; the JSON text otherwise).</summary>
    public static string NumberText(JsonNode node)
    {
        var raw = node.ToJsonString();
        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? integer.ToString(CultureInfo.InvariantCulture)
            : raw;
    }

    /// <summary>A JSON number as a double, whether the node was parsed from text or created from a CLR number.</summary>
    public static double Number(JsonNode node)
    {
        var value = node.AsValue();
        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        return double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary><c>intValue()</c>: a number (fractions truncated), or a string parsed as a double then truncated.</summary>
    public static int ReadInt(JsonNode? node)
    {
        var value = ReadDouble(node);
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw IsString(node)
                ? EngineException.IllegalArgument($"Value [{Text(node!)}] is out of range for an integer")
                : SearchErrors.XContentParse($"Numeric value ({Text(node!)}) out of range of int (-2147483648 - 2147483647)");
        }

        return (int)value;
    }

    /// <summary><c>floatValue()</c>: a number, or a string Java's <c>Float.parseFloat</c> accepts.</summary>
    public static float ReadFloat(JsonNode? node) => (float)ReadDouble(node);

    /// <summary><c>booleanValue()</c>: a JSON boolean, or the strings <c>true</c>/<c>false</c>.</summary>
    public static bool ReadBool(JsonNode? node)
    {
        if (IsBoolean(node))
        {
            return node!.GetValueKind() == JsonValueKind.True;
        }

        if (IsString(node))
        {
            return ParseBoolean(node!.GetValue<string>());
        }

        throw SearchErrors.XContentParse($"Current token ({JsonTokens.Jackson(node)}) not of boolean type");
    }

    /// <summary>A string value, or a number/boolean's text (Elasticsearch's <c>parser.text()</c> on a scalar).</summary>
    public static string ReadText(JsonNode? node, string field)
    {
        if (node is JsonValue value && value.GetValueKind() != JsonValueKind.Null)
        {
            return Text(value);
        }

        throw SearchErrors.XContentParse($"[{field}] expected a string but found [{TokenName(node)}]");
    }

    /// <summary>Elasticsearch's strict boolean parsing of a text (<c>Booleans.parseBoolean</c>).</summary>
    public static bool ParseBoolean(string text) => JavaBooleans.Parse(text);

    public static bool IsBooleanText(string text) => JavaBooleans.IsBoolean(text);

    /// <summary><c>doubleValue()</c>: a number, or a string Java's <c>Double.parseDouble</c> accepts, else the parser's error.</summary>
    public static double ReadDouble(JsonNode? node)
    {
        if (IsNumber(node))
        {
            return Number(node!);
        }

        if (IsString(node))
        {
            var text = node!.GetValue<string>();
            return JavaNumbers.ParseDouble(text) ?? throw SearchErrors.NumberFormat(text);
        }

        throw SearchErrors.XContentParse($"Current token ({JsonTokens.Jackson(node)}) not numeric, can not use numeric value accessors");
    }
}
