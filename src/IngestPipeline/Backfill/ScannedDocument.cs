using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>
/// A document as the scan saw it: its id, the sequence number and primary term of that version (for the conditional
/// write), its <c>_source</c> restricted to the text fields and the stored model, hash and stale fields, and whether it
/// has a projection.
/// </summary>
internal sealed record ScannedDocument(string Id, long SeqNo, long PrimaryTerm, JsonObject Source, bool HasProjection);
