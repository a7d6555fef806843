namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>
/// The Lucene field names the engine writes (docs/embedded-engine-internals.md, "Lucene document layout"). Documents
/// writes them and Search reads them; both go through here so the two cannot drift apart.
/// </summary>
internal static class LuceneFieldNames
{
    /// <summary>The document id: an indexed, stored, untokenised term.</summary>
    public const string Id = "_id";

    /// <summary>The document's JSON source, stored as UTF-8 bytes.</summary>
    public const string Source = "_source";

    public const string SeqNo = "_seq_no";

    public const string Version = "_version";

    public const string PrimaryTerm = "_primary_term";

    /// <summary>One untokenised term per non-null leaf field path the document has (the <c>exists</c> query).</summary>
    public const string FieldNames = "_field_names";

    // '#' keeps the doc-values names apart from the inverted field of the same path: Lucene 4.8 allows one
    // doc-values type per field name, and numeric fields need two (sort and terms aggregation).

    /// <summary>The doc-values field of a mapped path: numeric (sort), sorted set (keyword, boolean) or binary (dense_vector; binary fields, <see cref="BinaryValues"/>).</summary>
    public static string DocValues(string path) => path + "#dv";

    /// <summary>The sorted-set doc-values field holding a numeric or date field's values as strings (terms aggregation).</summary>
    public static string Terms(string path) => path + "#terms";
}
