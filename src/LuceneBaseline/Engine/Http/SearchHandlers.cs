using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>GET|POST /_search</c>, <c>/{index}/_search</c>, <c>/_count</c> and <c>/{index}/_count</c>.</summary>
internal sealed class SearchHandlers
{
    private readonly IndexHandlers _indices;
    private readonly TimeProvider _time;
    private readonly EngineMetrics? _metrics;

    public SearchHandlers(IndexHandlers indices, TimeProvider time, EngineMetrics? metrics)
    {
        _indices = indices;
        _time = time;
        _metrics = metrics;
    }

    public Task<RestResponse> SearchAsync(RestRequest request) => RunAsync(request, SearchExecutor.Search);

    public Task<RestResponse> CountAsync(RestRequest request) => RunAsync(request, SearchExecutor.Count);

    private async Task<RestResponse> RunAsync(
        RestRequest request,
        Func<IReadOnlyList<SearchTarget>, JsonObject?, SearchParameters, CancellationToken, JsonObject> execute)
    {
        var indices = _indices.Resolve(request, request.Route("index") ?? "_all");
        request.BoolParam("ccs_minimize_roundtrips", true);
        var parameters = new SearchParameters { Values = request.TakeRemainingParameters(), Path = request.PathWithoutQuery, Time = _time, Metrics = _metrics };
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);

        var leases = new List<SearcherLease>(indices.Count);
        try
        {
            foreach (var index in indices)
            {
                leases.Add(index.AcquireSearcher());
            }

            var targets = leases.Select(lease => lease.Target).ToList();
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
