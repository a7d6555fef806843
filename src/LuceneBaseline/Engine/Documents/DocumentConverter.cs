using System.Text.Json.Nodes;
using Lucene.Net.Documents;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>Turns a document's <c>_source</c> into a Lucene document by the index mapping.</summary>
/// <remarks>
/// <para>Follows Elasticsearch's <c>DocumentParser</c> (docs/embedded-engine-internals.md, "Lucene document layout"):</para>
/// <list type="number">
/// <item>The source is written compactly (<see cref="SourceWriter"/>); that is the stored <c>_source</c> and the
/// frame of reference for the <c>[1:column]</c> of errors.</item>
/// <item>Fields are visited in source order; dotted keys expand into objects, arrays are flattened (a dense_vector
/// takes its array whole), JSON nulls are skipped or replaced by <c>null_value</c>.</item>
/// <item>An unmapped field follows the <c>dynamic</c> in force (inherited from the nearest object that sets it):
/// mapped dynamically, kept in _source only, or rejected.</item>
/// <item>Each mapped value is validated and written per type, its multi-fields get the same value, and its path and
/// parent paths go to <c>_field_names</c>; doc values of numeric and date fields hold the minimum.</item>
/// </list>
/// Stateless and thread-safe; the inputs are not modified.
/// </remarks>
internal static class DocumentConverter
{
    /// <exception cref="Errors.EngineException"><c>document_parsing_exception</c> or <c>strict_dynamic_mapping_exception</c>.</exception>
    /// <remarks><paramref name="limits"/>: the index's mapping limits; null for Elasticsearch's defaults.</remarks>
    public static ConvertedDocument Convert(IndexMapping mapping, string index, string id, JsonObject source, DocumentVersion version, MappingLimits? limits = null)
    {
        var written = SourceWriter.Write(source);
        var context = new DocumentParseContext(mapping, id, written, limits);
        context.ParseRoot(source);

        var document = new Document
        {
            new StringField(LuceneFieldNames.Id, id, Field.Store.YES),

            // A search that returns ids without sources reads them here, not from the compressed stored fields.
            new BinaryDocValuesField(LuceneFieldNames.DocValues(LuceneFieldNames.Id), new BytesRef(id)),
            new StoredField(LuceneFieldNames.Source, written.Bytes),
            new NumericDocValuesField(LuceneFieldNames.SeqNo, version.SeqNo),
            new StoredField(LuceneFieldNames.SeqNo, version.SeqNo),
            new NumericDocValuesField(LuceneFieldNames.Version, version.Version),
            new StoredField(LuceneFieldNames.Version, version.Version),
            new NumericDocValuesField(LuceneFieldNames.PrimaryTerm, version.PrimaryTerm),
            new StoredField(LuceneFieldNames.PrimaryTerm, version.PrimaryTerm),
        };
        context.WriteFields(document);

        var updated = context.UpdatedMapping();
        return new ConvertedDocument(document, written.Bytes, updated ?? mapping, updated is not null);
    }
}
