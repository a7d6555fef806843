using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>Parses, merges and writes index mappings in Elasticsearch's JSON form.</summary>
internal static class MappingParser
{
    /// <summary>The <c>mappings</c> object of <c>PUT /&lt;index&gt;</c>; null gives an empty dynamic mapping.</summary>
    /// <exception cref="Errors.EngineException"><c>mapper_parsing_exception</c> naming the field and parameter.</exception>
    public static IndexMapping Parse(JsonObject? mappings, string index) => throw new NotImplementedException();

    /// <summary><c>PUT /&lt;index&gt;/_mapping</c> and dynamic updates: <paramref name="current"/> with <paramref name="update"/> applied.</summary>
    public static IndexMapping Merge(IndexMapping current, JsonObject update, string index) => throw new NotImplementedException();

    /// <summary>The <c>mappings</c> object as <c>GET /&lt;index&gt;/_mapping</c> shows it.</summary>
    public static JsonObject ToJson(IndexMapping mapping) => throw new NotImplementedException();
}
