namespace Rerank.Sidecar.Search.Requests;

/// <summary>Why a search of an enabled index is passed through (<c>X-Rerank: skipped:&lt;reason&gt;</c>; docs/search.md).</summary>
internal static class SkipReasons
{
    public const string NoQueryText = "no_query_text";
    public const string Sort = "sort";
    public const string Collapse = "collapse";
    public const string Rescore = "rescore";
    public const string SearchAfter = "search_after";
    public const string Scroll = "scroll";
    public const string SizeZero = "size_zero";
    public const string BeyondWindow = "beyond_window";
    public const string DisabledByRequest = "disabled_by_request";
    public const string NotEnabled = "not_enabled";
    public const string BodyTooLarge = "body_too_large";
    public const string InvalidBody = "invalid_body";
    public const string FilterPath = "filter_path";
    public const string Retriever = "retriever";
    public const string Rank = "rank";

    /// <summary>The client asked for a response in YAML, CBOR or SMILE (<c>format</c>, <c>Accept</c>); the sidecar writes JSON only.</summary>
    public const string Format = "format";
}
