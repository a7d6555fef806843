namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The engine's server-side bound on a search's query phase, so that no one request holds a search thread for long:
/// the request's <c>timeout</c> when it gives a shorter one, else <see cref="Max"/>. Past it, the search answers as
/// Elasticsearch answers a search past its <c>timeout</c> (or past <c>search.default_search_timeout</c>): 200 with
/// <c>timed_out: true</c> and the hits collected so far. The client's disconnect cancels the search as well
/// (<c>HttpContext.RequestAborted</c>, checked every 1,024 collected documents).
/// </summary>
internal static class SearchTimeBound
{
    /// <summary>The longest the query phase of one search may run on one index: 30 seconds.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The timeout to apply: <paramref name="requested"/> when shorter than <see cref="Max"/>, else <see cref="Max"/>; a
    /// negative timeout (<c>-1</c>, "none") is <see cref="Max"/>.
    /// </summary>
    public static TimeSpan Bound(TimeSpan? requested) => requested is { } given && given >= TimeSpan.Zero && given < Max ? given : Max;
}
