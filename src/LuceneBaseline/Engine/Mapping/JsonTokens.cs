using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// The token names Elasticsearch's messages quote for a JSON value. Two vocabularies appear: its own
/// <c>XContentParser.Token</c> (<c>VALUE_NUMBER</c>, <c>VALUE_BOOLEAN</c>) and, in errors passed up from the JSON
/// parser, Jackson's <c>JsonToken</c> (<c>VALUE_NUMBER_INT</c>/<c>_FLOAT</c>, <c>VALUE_TRUE</c>/<c>_FALSE</c>).
/// Stateless and thread-safe.
/// </summary>
internal static class JsonTokens
{
    /// <summary>Elasticsearch's token name (<c>VALUE_STRING</c>, <c>VALUE_NUMBER</c>, <c>START_OBJECT</c>, ...).</summary>
    public static string XContent(JsonNode? node) => node switch
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

    /// <summary>Jackson's token name (<c>VALUE_NUMBER_INT</c>, <c>VALUE_NUMBER_FLOAT</c>, <c>VALUE_TRUE</c>, <c>START_OBJECT</c>, ...).</summary>
    public static string Jackson(JsonNode? node) => node switch
    {
        null => "VALUE_NULL",
        JsonObject => "START_OBJECT",
        JsonArray => "START_ARRAY",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "VALUE_STRING",
            JsonValueKind.Number => IsFloatLiteral(node) ? "VALUE_NUMBER_FLOAT" : "VALUE_NUMBER_INT",
            JsonValueKind.True => "VALUE_TRUE",
            JsonValueKind.False => "VALUE_FALSE",
            _ => "VALUE_NULL",
        },
    };

    /// <summary>Whether a JSON number is written with a fraction or an exponent, which Jackson reads as a float, not an integer.</summary>
    public static bool IsFloatLiteral(JsonNode number) => IsFloatLiteral(number.ToJsonString());

    /// <summary>Whether a number's text has a fraction or an exponent.</summary>
    public static bool IsFloatLiteral(string text) => text.Any(c => c is '.' or 'e' or 'E');
}
