using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>Turns a document's <c>_source</c> into a Lucene document by the index mapping.</summary>
internal static class DocumentConverter
{
    /// <exception cref="Errors.EngineException"><c>document_parsing_exception</c> or <c>strict_dynamic_mapping_exception</c>.</exception>
    public static ConvertedDocument Convert(IndexMapping mapping, string index, string id, JsonObject source, DocumentVersion version) =>
        throw new NotImplementedException();
}
