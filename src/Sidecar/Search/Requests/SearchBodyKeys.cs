using System.Collections.Frozen;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>The keys of a search body and the URL parameters the planner reads, moves or removes (docs/search.md).</summary>
internal static class SearchBodyKeys
{
    public const string Query = "query";
    public const string From = "from";
    public const string Size = "size";
    public const string Sort = "sort";
    public const string Source = "_source";
    public const string Fields = "fields";
    public const string DocValueFields = "docvalue_fields";
    public const string Ext = "ext";
    public const string Rerank = "rerank";
    public const string Knn = "knn";
    public const string PostFilter = "post_filter";
    public const string TrackTotalHits = "track_total_hits";
    public const string Collapse = "collapse";
    public const string Rescore = "rescore";
    public const string SearchAfter = "search_after";
    public const string Retriever = "retriever";
    public const string Rank = "rank";

    /// <summary>URL parameters the planner reads.</summary>
    public const string UrlQueryText = "q";
    public const string UrlScroll = "scroll";
    public const string UrlFilterPath = "filter_path";

    /// <summary>
    /// The body's fetch options: they shape the returned hits, not which hits match or their order. The two-phase first
    /// stage drops them; the page fetch (and the single-phase first stage) keeps them.
    /// </summary>
    public static readonly FrozenSet<string> FetchOptions = FrozenSet.ToFrozenSet(
    [
        Source, Fields, DocValueFields, "stored_fields", "script_fields", "highlight", "explain", "version", "seq_no_primary_term",
    ]);

    /// <summary>The URL parameters that are fetch options (a URL <c>_source</c> overrides the body's).</summary>
    public static readonly FrozenSet<string> UrlFetchOptions = FrozenSet.ToFrozenSet(
    [
        "_source", "_source_includes", "_source_excludes", "_source_include", "_source_exclude", "stored_fields",
        "docvalue_fields", "explain", "version", "seq_no_primary_term",
    ]);

    /// <summary>URL parameters no upstream call of a plan carries: the bodies hold <c>from</c> and <c>size</c>.</summary>
    public static readonly FrozenSet<string> UrlPage = FrozenSet.ToFrozenSet([From, Size]);

    /// <summary>
    /// URL parameters the page fetch drops besides <see cref="UrlPage"/>: they override the fetch body's
    /// <c>track_total_hits: false</c>, cut its hits, or ask for what the first stage already answered.
    /// </summary>
    public static readonly FrozenSet<string> UrlFetchDropped = FrozenSet.ToFrozenSet(
    [
        From, Size, TrackTotalHits, "terminate_after", "rest_total_hits_as_int", "suggest_field", "suggest_text", "suggest_mode",
        "suggest_size",
    ]);

    /// <summary>Body keys the page fetch drops (it asks for exactly the page's hits, nothing about the whole result).</summary>
    public static readonly FrozenSet<string> FetchDropped = FrozenSet.ToFrozenSet(
    [
        Query, Knn, From, Size, "aggs", "aggregations", "suggest", PostFilter, "min_score", "terminate_after", "profile",
        TrackTotalHits,
    ]);
}
