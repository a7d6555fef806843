using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>Decides whether and how a search is reranked (docs/search.md "Interception").</summary>
internal static class SearchRequestPlanner
{
    /// <summary>Plans a search of an index whose <c>_meta.rerank</c> is enabled.</summary>
    public static SearchPlanResult Plan(SearchRequest request, RerankIndexConfig config) =>
        throw new NotImplementedException("issue 11: the request planner is being written");

    /// <summary>
    /// For an index that is not enabled: the body with <c>ext.rerank</c> removed (and <c>ext</c> when it becomes empty),
    /// or null when the body has no <c>ext.rerank</c> (forward it untouched) or is not JSON.
    /// </summary>
    public static ReadOnlyMemory<byte>? StripExtension(ReadOnlyMemory<byte> body) =>
        throw new NotImplementedException("issue 11: the request planner is being written");
}
