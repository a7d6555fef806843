namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>The <c>pit</c> section of a <c>_search</c> body: which point in time to search, and for how long to keep it now.</summary>
/// <param name="Id">The id <c>POST /{index}/_pit</c> answered.</param>
/// <param name="KeepAlive">The new keep-alive counted from this search, or null to leave the expiry as it is.</param>
internal sealed record PointInTimeSpec(string Id, TimeSpan? KeepAlive);
