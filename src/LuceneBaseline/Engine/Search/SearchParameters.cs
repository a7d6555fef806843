namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// The URL parameters of <c>_search</c> and <c>_count</c>, as given (null when absent). The HTTP layer fills
/// <see cref="Values"/> with every query-string parameter it did not consume itself; search rejects the ones it does
/// not know, naming them, as Elasticsearch does.
/// </summary>
internal sealed record SearchParameters
{
    public static SearchParameters None { get; } = new();

    /// <summary>The request path (without the query string), for Elasticsearch's "unrecognized parameter" message.</summary>
    public string Path { get; init; } = "/_search";

    /// <summary>Query-string parameter name -> value.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
