using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>The partial-document merge of <c>_update</c>.</summary>
internal static class SourceMerge
{
    /// <summary>
    /// Merges <paramref name="doc"/> into <paramref name="target"/> in place as Elasticsearch does (objects merged
    /// recursively, any other value replaced) and returns whether anything changed (for <c>detect_noop</c>).
    /// </summary>
    /// <remarks>
    /// Follows Elasticsearch's <c>XContentHelper.update</c>: a key whose value is an object in both is merged
    /// recursively; any other value (arrays included, and a null) replaces the target's. A replacement counts as a
    /// change unless the old and new values are equal JSON (<see cref="JsonNode.DeepEquals"/>), as Elasticsearch
    /// compares the old and new parsed values. <paramref name="doc"/> is not modified; its values are copied.
    /// </remarks>
    public static bool Merge(JsonObject target, JsonObject doc)
    {
        var changed = false;
        foreach (var (key, value) in doc)
        {
            if (value is JsonObject update && target[key] is JsonObject existing)
            {
                changed |= Merge(existing, update);
                continue;
            }

            if (target.TryGetPropertyValue(key, out var old) && JsonNode.DeepEquals(old, value))
            {
                continue;
            }

            target[key] = value?.DeepClone();
            changed = true;
        }

        return changed;
    }
}
