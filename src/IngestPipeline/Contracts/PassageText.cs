using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// The passage text of a document under an index's config, and its hash (docs/index-config.md):
/// 1. each text field in config order; a string is taken as is, an array contributes its string, number and boolean
///    elements in order, a number or boolean its JSON text; null, missing, objects are skipped;
/// 2. the non-empty pieces are joined with the separator (a document with none has the empty text, still encoded);
/// 3. the hash is <c>sha256:</c> and the lowercase hex SHA-256 of the text's UTF-8 bytes.
/// </summary>
public static class PassageText
{
    public const string HashPrefix = "sha256:";

    public static string Compose(JsonObject source, RerankIndexConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var pieces = new List<string>();
        foreach (var field in config.TextFields)
        {
            Collect(SourcePath.Get(source, field), pieces);
        }

        return string.Join(config.Separator, pieces);
    }

    /// <summary>True when <paramref name="partial"/> (an update's <c>doc</c>) sets at least one text field.</summary>
    public static bool TouchesText(JsonObject partial, RerankIndexConfig config) =>
        config.TextFields.Any(field => Mentions(partial, field));

    /// <summary>True when <paramref name="partial"/> sets every text field, so the merged text is known from it alone.</summary>
    public static bool CoversText(JsonObject partial, RerankIndexConfig config) =>
        config.TextFields.All(field => Mentions(partial, field));

    public static string Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text), digest);
        return HashPrefix + Convert.ToHexStringLower(digest);
    }

    private static bool Mentions(JsonObject partial, string field)
    {
        if (partial.ContainsKey(field))
        {
            return true;
        }

        // A partial doc merges objects: {"a": {"b": ...}} sets a.b; {"a": null} or {"a": "x"} replaces all of a.
        for (var dot = field.IndexOf('.'); dot >= 0; dot = field.IndexOf('.', dot + 1))
        {
            if (partial.TryGetPropertyValue(field[..dot], out var child))
            {
                return child is not JsonObject childObject || Mentions(childObject, field[(dot + 1)..]);
            }
        }

        return false;
    }

    private static void Collect(JsonNode? node, List<string> pieces)
    {
        switch (node)
        {
            case null:
                return;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not JsonArray)
                    {
                        Collect(item, pieces);
                    }
                }

                return;
            case JsonValue value:
                var text = value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                    _ => null,
                };
                if (!string.IsNullOrEmpty(text))
                {
                    pieces.Add(text);
                }

                return;
            default:
                return;
        }
    }
}
