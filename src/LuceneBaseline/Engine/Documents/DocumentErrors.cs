using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>
/// The document errors, in Elasticsearch 8.8+'s shape: <c>document_parsing_exception</c> (400) whose reason starts with
/// the <c>[line:column]</c> of the offending value (see <see cref="SourceWriter"/>) and whose <c>caused_by</c> (in
/// <see cref="EngineException.Extra"/>) is the underlying Java exception.
/// </summary>
internal static class DocumentErrors
{
    /// <summary>"failed to parse field [f] of type [t] in document with id 'i'. Preview of field's value: 'v'".</summary>
    public static EngineException Field(int column, string path, string type, string id, JsonNode? value, string causeType, string causeReason) =>
        Parsing(
            column,
            $"failed to parse field [{path}] of type [{type}] in document with id '{id}'. Preview of field's value: '{Preview(value)}'",
            causeType,
            causeReason);

    /// <summary>An error Elasticsearch's document parser wraps as "failed to parse: {reason}" (a plain Java exception).</summary>
    public static EngineException Failed(int column, string reason, string causeType = "illegal_argument_exception") =>
        Parsing(column, "failed to parse: " + reason, causeType, reason);

    /// <summary>A <c>document_parsing_exception</c> thrown as such (no cause).</summary>
    public static EngineException Parsing(int column, string reason, string? causeType = null, string? causeReason = null)
    {
        var extra = causeType is null ? null : new JsonObject { ["caused_by"] = new JsonObject { ["type"] = causeType, ["reason"] = causeReason } };
        return new EngineException(400, "document_parsing_exception", $"{Location(column)} {reason}", extra: extra);
    }

    public static EngineException Strict(int column, string name, string parent) =>
        new(400, "strict_dynamic_mapping_exception", $"{Location(column)} mapping set to strict, dynamic introduction of [{name}] within [{parent}] is not allowed");

    /// <summary>Elasticsearch's <c>[line:column]</c>; unknown positions are <c>[1:1]</c>.</summary>
    public static string Location(int column) => $"[1:{Math.Max(column, 1)}]";

    /// <summary>Elasticsearch's "document with id '...'" description.</summary>
    public static string Description(string id) => $"document with id '{id}'";

    /// <summary>
    /// A value as Elasticsearch previews it: scalars as their text, objects as the Java <c>HashMap</c> they parse into
    /// prints (<c>{b=2, a=1}</c>, in HashMap iteration order), arrays as <c>[1, 2]</c>.
    /// </summary>
    public static string Preview(JsonNode? value) => JavaText.OfHashMap(value);
}
