namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// What the live version map knows of one id: the versions of its latest operation, whether that was a delete
/// (a tombstone, kept for <c>index.gc_deletes</c> so a re-create continues the version), and the source of a write the
/// get reader may not see yet.
/// </summary>
/// <param name="SeqNo">The <c>_seq_no</c> of the latest operation on the id.</param>
/// <param name="PrimaryTerm">Its <c>_primary_term</c> (always 1: the engine has one primary that never fails over).</param>
/// <param name="Version">The id's <c>_version</c> after that operation.</param>
/// <param name="Deleted">Whether the latest operation was a delete.</param>
/// <param name="DeletedAtMilliseconds">For a tombstone: when it was made (epoch milliseconds); 0 otherwise.</param>
/// <param name="Source">The UTF-8 <c>_source</c> while no get reader covers the write, then null.</param>
internal sealed record VersionEntry(long SeqNo, long PrimaryTerm, long Version, bool Deleted, long DeletedAtMilliseconds, byte[]? Source);
