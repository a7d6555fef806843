using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>Reads values out of a <c>_source</c> object by dotted path.</summary>
internal static class SourceValues
{
    /// <summary>
    /// The non-null leaf values at <paramref name="path"/> (<c>author.name</c>), arrays flattened, in source order;
    /// both nested objects and dotted keys (<c>{"author.name": ...}</c>) are followed, and so are arrays of objects
    /// on the way (<c>{"authors": [{"name": "a"}, {"name": "b"}]}</c> gives both names for <c>authors.name</c>).
    /// </summary>
    /// <remarks>A value that is itself an object is not a leaf and is not returned; the nodes returned belong to
    /// <paramref name="source"/> (clone them before attaching them elsewhere).</remarks>
    public static IReadOnlyList<JsonNode> Get(JsonObject source, string path)
    {
        var values = new List<JsonNode>();
        Collect(source, path, values);
        return values;
    }

    private static void Collect(JsonObject obj, string path, List<JsonNode> values)
    {
        foreach (var (key, value) in obj)
        {
            if (key == path)
            {
                AddLeaves(value, values);
            }
            else if (path.Length > key.Length && path[key.Length] == '.' && path.StartsWith(key, StringComparison.Ordinal))
            {
                Descend(value, path[(key.Length + 1)..], values);
            }
        }
    }

    private static void Descend(JsonNode? node, string rest, List<JsonNode> values)
    {
        switch (node)
        {
            case JsonObject child:
                Collect(child, rest, values);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Descend(item, rest, values);
                }

                break;
        }
    }

    private static void AddLeaves(JsonNode? node, List<JsonNode> values)
    {
        switch (node)
        {
            case null or JsonObject:
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddLeaves(item, values);
                }

                break;
            default:
                values.Add(node);
                break;
        }
    }
}
