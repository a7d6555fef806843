using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Parses request JSON the way Elasticsearch reports problems with it.</summary>
internal static class JsonBody
{
    /// <summary>
    /// The deepest nesting a request body may have: System.Text.Json's default, which is also what the readers of a
    /// stored <c>_source</c> allow, so every document accepted can be read back. Deeper is <c>x_content_parse_exception</c>.
    /// </summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // Elasticsearch rejects duplicate keys ("Duplicate field 'x'"); System.Text.Json would keep the last.
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    /// <summary>
    /// A JSON object from UTF-8 bytes; null for empty or whitespace-only input. Malformed JSON is
    /// <c>x_content_parse_exception</c> with the 1-based <c>[line:col]</c> position, as Elasticsearch reports it.
    /// </summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> utf8)
    {
        if (IsBlank(utf8))
        {
            return null;
        }

        var node = Parse(utf8);

        return node as JsonObject
            ?? throw new EngineException(400, "parse_exception", $"request body must be a JSON object, found [{Describe(node)}]");
    }

    /// <summary>
    /// Any JSON value from UTF-8 bytes, checked to decode (<see cref="JsonText.CheckDecodable"/>) and to nest no deeper
    /// than <see cref="MaxDepth"/>; malformed JSON is <c>x_content_parse_exception</c>.
    /// </summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        JsonText.CheckDecodable(utf8);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: DocumentOptions);
        }
        catch (JsonException exception)
        {
            throw ParseError(exception);
        }
    }

    /// <summary>The Elasticsearch error for malformed JSON.</summary>
    public static EngineException ParseError(JsonException exception)
    {
        var line = (exception.LineNumber ?? 0) + 1;
        var col = (exception.BytePositionInLine ?? 0) + 1;
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return new EngineException(400, "x_content_parse_exception", $"[{line}:{col}] {message}");
    }

    public static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "START_ARRAY",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "VALUE_STRING",
            JsonValueKind.Number => "VALUE_NUMBER",
            JsonValueKind.True or JsonValueKind.False => "VALUE_BOOLEAN",
            _ => "VALUE_NULL",
        },
        _ => node.GetType().Name,
    };

    /// <summary>Writes <paramref name="node"/> compactly as UTF-8.</summary>
    public static byte[] ToUtf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}
