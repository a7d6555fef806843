using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Runs <c>_search</c> and <c>_count</c> requests over one or more indices.</summary>
internal static class SearchExecutor
{
    /// <summary>The whole <c>_search</c> response: <c>took</c>, <c>timed_out</c>, <c>_shards</c>, <c>hits</c>, <c>aggregations</c>.</summary>
    public static JsonObject Search(IReadOnlyList<SearchTarget> targets, JsonObject? body, SearchParameters parameters, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The <c>_count</c> response: <c>count</c> and <c>_shards</c>.</summary>
    public static JsonObject Count(IReadOnlyList<SearchTarget> targets, JsonObject? body, SearchParameters parameters, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
