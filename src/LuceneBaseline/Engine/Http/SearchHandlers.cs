using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>GET|POST /_search</c>, <c>/{index}/_search</c>, <c>/_count</c> and <c>/{index}/_count</c>.</summary>
/// <remarks>
/// As in Elasticsearch's REST layer, the request (body and URL parameters) is parsed and validated before the
/// indices are resolved: a bad request to a missing index is a 400, not a 404. A search with <c>pit</c> reads the
/// point in time's searchers instead of the path's indices (which it must not name).
/// </remarks>
internal sealed class SearchHandlers
{
    private readonly IndexHandlers _indices;
    private readonly PointInTimeRegistry _pointsInTime;
    private readonly TimeProvider _time;
    private readonly EngineMetrics? _metrics;

    public SearchHandlers(IndexHandlers indices, PointInTimeRegistry pointsInTime, TimeProvider time, EngineMetrics? metrics)
    {
        _indices = indices;
        _pointsInTime = pointsInTime;
        _time = time;
        _metrics = metrics;
    }

    public Task<RestResponse> SearchAsync(RestRequest request) => RunAsync(request, count: false);

    public Task<RestResponse> CountAsync(RestRequest request) => RunAsync(request, count: true);

    private async Task<RestResponse> RunAsync(RestRequest request, bool count)
    {
        var route = request.Route("index");
        var ccsMinimizeRoundtrips = request.HasParam("ccs_minimize_roundtrips") && request.BoolParam("ccs_minimize_roundtrips", true);
        var parameters = new SearchParameters { Values = request.TakeRemainingParameters(), Path = request.PathWithoutQuery, Time = _time, Metrics = _metrics };
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);
        var parsed = count ? SearchRequestParser.ParseCount(body, parameters) : SearchRequestParser.Parse(body, parameters);
        if (parsed.PointInTime is { } pit)
        {
            return SearchPointInTime(parsed, parameters, pit, request, ccsMinimizeRoundtrips);
        }

        var indices = _indices.ResolveWithAliases(request, route ?? "_all");
        var leases = new List<SearcherLease>(indices.Count);
        try
        {
            foreach (var index in indices)
            {
                leases.Add(index.Index.AcquireSearcher());
            }

            var targets = leases.Select((lease, i) => lease.Target with { AliasFilters = indices[i].Filters }).ToList();
            return RestResponse.Ok(count
                ? SearchExecutor.CountParsed(targets, parsed, parameters, request.Aborted)
                : SearchExecutor.SearchParsed(targets, parsed, parameters, request.Aborted));
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    private RestResponse SearchPointInTime(SearchRequest parsed, SearchParameters parameters, PointInTimeSpec pit, RestRequest request, bool ccsMinimizeRoundtrips)
    {
        // Elasticsearch's RestSearchAction.preparePointInTime, in its order. The point in time fixed its indices.
        var errors = new List<string>();
        if (request.Route("index") is not null)
        {
            errors.Add("[indices] cannot be used with point in time. Do not specify any index with point in time.");
        }

        if (request.BoolParam("ignore_unavailable", false) || !request.BoolParam("allow_no_indices", true)
            || (request.Param("expand_wildcards") ?? "open") != "open")
        {
            errors.Add("[indicesOptions] cannot be used with point in time");
        }

        if (request.Param("routing") is not null)
        {
            errors.Add("[routing] cannot be used with point in time");
        }

        if (request.Param("preference") is not null)
        {
            errors.Add("[preference] cannot be used with point in time");
        }

        if (ccsMinimizeRoundtrips)
        {
            errors.Add("[ccs_minimize_roundtrips] cannot be used with point in time");
        }

        if (errors.Count > 0)
        {
            throw SearchErrors.Validation(errors);
        }

        using var lease = _pointsInTime.Acquire(pit.Id, pit.KeepAlive);
        var response = SearchExecutor.SearchParsed(lease.Targets, parsed, parameters, request.Aborted);
        response.Insert(0, "pit_id", lease.Id);
        return RestResponse.Ok(response);
    }
}
