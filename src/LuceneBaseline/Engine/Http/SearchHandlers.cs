using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>GET|POST /_search</c>, <c>/{index}/_search</c>, <c>/_count</c> and <c>/{index}/_count</c>.</summary>
internal sealed class SearchHandlers
{
    private readonly IndexHandlers _indices;

    public SearchHandlers(IndexHandlers indices)
    {
        _indices = indices;
    }

    public Task<RestResponse> SearchAsync(RestRequest request) => RunAsync(request, SearchExecutor.Search);

    public Task<RestResponse> CountAsync(RestRequest request) => RunAsync(request, SearchExecutor.Count);

    private async Task<RestResponse> RunAsync(
        RestRequest request,
        Func<IReadOnlyList<SearchTarget>, JsonObject?, SearchParameters, CancellationToken, JsonObject> execute)
    {
        var indices = _indices.ResolveWithAliases(request, request.Route("index") ?? "_all");
        request.BoolParam("ccs_minimize_roundtrips", true);
        var parameters = new SearchParameters { Values = request.TakeRemainingParameters(), Path = request.PathWithoutQuery };
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);

        var leases = new List<SearcherLease>(indices.Count);
        try
        {
            foreach (var index in indices)
            {
                leases.Add(index.Index.AcquireSearcher());
            }

            var targets = leases.Select((lease, i) => lease.Target with { AliasFilters = indices[i].Filters }).ToList();
            return RestResponse.Ok(execute(targets, body, parameters, request.Aborted));
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }
}
