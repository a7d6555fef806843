namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>The version fields a document is written with: <c>_seq_no</c>, <c>_primary_term</c>, <c>_version</c>.</summary>
internal readonly record struct DocumentVersion(long SeqNo, long PrimaryTerm, long Version);
