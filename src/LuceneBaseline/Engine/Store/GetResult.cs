using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>A realtime get: the document's latest acknowledged version, or <see cref="Found"/> false.</summary>
internal sealed record GetResult(string Index, string Id, bool Found, long Version, long SeqNo, long PrimaryTerm, JsonObject? Source);
