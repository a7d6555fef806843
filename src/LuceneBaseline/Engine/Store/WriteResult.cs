namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>What a document write did: the fields of Elasticsearch's write response.</summary>
internal sealed record WriteResult(string Index, string Id, long Version, long SeqNo, long PrimaryTerm, WriteOutcome Result);
