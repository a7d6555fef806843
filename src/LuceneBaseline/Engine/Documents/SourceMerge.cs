using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>The partial-document merge of <c>_update</c>.</summary>
internal static class SourceMerge
{
    /// <summary>
    /// Merges <paramref name="doc"/> into <paramref name="target"/> in place as Elasticsearch does (objects merged
    /// recursively, any other value replaced) and returns whether anything changed (for <c>detect_noop</c>).
    /// </summary>
    public static bool Merge(JsonObject target, JsonObject doc) => throw new NotImplementedException();
}
