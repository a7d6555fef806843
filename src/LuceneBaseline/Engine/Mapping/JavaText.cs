using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Renders JSON values the way Elasticsearch's messages show them: as the Java objects the JSON parses into print
/// (<c>{type=text, index=false}</c>, <c>[1, 2]</c>, strings without quotes, numbers as written). Stateless and
/// thread-safe.
/// </summary>
internal static class JavaText
{
    /// <summary>The value as parsed into ordered maps (<c>LinkedHashMap</c>: keys in source order), as mappings are.</summary>
    public static string Of(JsonNode? node) => Render(node, hashMapOrder: false);

    /// <summary>
    /// The value as parsed into unordered maps (<c>java.util.HashMap</c>: keys in its iteration order), as
    /// document values are (<c>{b=2, a=1}</c>).
    /// </summary>
    public static string OfHashMap(JsonNode? node) => Render(node, hashMapOrder: true);

    private static string Render(JsonNode? node, bool hashMapOrder)
    {
        var text = new StringBuilder();
        Append(text, node, hashMapOrder);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonNode? node, bool hashMapOrder)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in hashMapOrder ? JavaHashMapOrder(obj) : obj)
                {
                    text.Append(first ? "" : ", ").Append(key).Append('=');
                    Append(text, value, hashMapOrder);
                    first = false;
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Append(text, array[i], hashMapOrder);
                }

                text.Append(']');
                break;
            default:
                text.Append(node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString());
                break;
        }
    }

    /// <summary>
    /// The order a <c>java.util.HashMap</c> built by inserting the keys in source order iterates them: by bucket
    /// (<c>(h ^ h &gt;&gt;&gt; 16) &amp; (capacity - 1)</c>, capacity 16 doubling past a 0.75 load), then insertion order.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> JavaHashMapOrder(JsonObject obj)
    {
        var capacity = 16;
        while (obj.Count > capacity * 3 / 4)
        {
            capacity *= 2;
        }

        return obj
            .Select((entry, index) => (entry, index, bucket: Spread(JavaHash(entry.Key)) & (capacity - 1)))
            .OrderBy(e => e.bucket)
            .ThenBy(e => e.index)
            .Select(e => e.entry);
    }

    private static int Spread(int hash) => hash ^ (int)((uint)hash >> 16);

    private static int JavaHash(string text)
    {
        var hash = 0;
        foreach (var c in text)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }
}
