using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Contracts;

/// <summary>Dotted paths into a document's <c>_source</c>, the way Elasticsearch reads them: <c>a.b</c> is
/// <c>{"a": {"b": ...}}</c> or a literal <c>"a.b"</c> key (both forms are looked up, the object form first).</summary>
public static class SourcePath
{
    /// <summary>The value at <paramref name="path"/>, or null when absent (a JSON null is returned as null too).</summary>
    public static JsonNode? Get(JsonObject source, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Find(source, path, 0);
    }

    /// <summary>Sets <paramref name="path"/>, creating (or replacing non-object values with) objects along the way.</summary>
    public static void Set(JsonObject source, string path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(source);
        var segments = path.Split('.');
        var current = source;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            // A literal dotted key for the remaining path would be a second copy of the field: remove it.
            current.Remove(string.Join('.', segments, i, segments.Length - i));
            if (current[segments[i]] is not JsonObject next)
            {
                next = [];
                current[segments[i]] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }

    private static JsonNode? Find(JsonObject node, string path, int start)
    {
        if (node.TryGetPropertyValue(path[start..], out var whole))
        {
            return whole;
        }

        for (var dot = path.IndexOf('.', start); dot >= 0; dot = path.IndexOf('.', dot + 1))
        {
            if (node.TryGetPropertyValue(path[start..dot], out var child) && child is JsonObject childObject)
            {
                var found = Find(childObject, path, dot + 1);
                if (found is not null)
                {
                    return found;
                }
            }
        }

        return null;
    }
}
