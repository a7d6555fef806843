using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Rerank.LuceneBaseline.Beir;

/// <summary>
/// Field readers shared by the JSON-lines readers (<see cref="BeirReader"/>, the sentence-pair reader): each problem is a
/// <see cref="BeirFormatException"/> naming the file, the line and the field.
/// </summary>
internal static class JsonLineFields
{
    /// <summary>
    /// A JSON integer id as its invariant decimal text, however long ("-0" reads as "0"); fractions and exponents are not
    /// integers (Python's json, which BEIR uses, reads them as floats) and are refused.
    /// </summary>
    public static string IntegerId(string path, int lineNumber, JsonElement value, string field)
    {
        var raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            throw new BeirFormatException(path, lineNumber, $"field '{field}' must be a string or an integer, found the number {raw}");
        }

        return BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A string field; a missing required field or a value of another type is refused, an optional one may be absent or null.</summary>
    public static string? String(string path, int lineNumber, JsonElement root, string field, bool required)
    {
        if (!root.TryGetProperty(field, out var value) || (!required && value.ValueKind == JsonValueKind.Null))
        {
            return required ? throw new BeirFormatException(path, lineNumber, $"field '{field}' is missing") : null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new BeirFormatException(path, lineNumber, $"field '{field}' must be a string, found {Describe(value.ValueKind)}");
    }

    /// <summary>"an object", "a string", ... for messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
