using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>Reads values out of a <c>_source</c> object by dotted path.</summary>
internal static class SourceValues
{
    /// <summary>
    /// The non-null leaf values at <paramref name="path"/> (<c>author.name</c>), arrays flattened, in source order;
    /// both nested objects and dotted keys (<c>{"author.name": ...}</c>) are followed.
    /// </summary>
    public static IReadOnlyList<JsonNode> Get(JsonObject source, string path) => throw new NotImplementedException();
}
