using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>POST /{index}/_pit</c> (open a point in time) and <c>DELETE /_pit</c> (close one).</summary>
internal sealed class PointInTimeHandlers
{
    private readonly IndexHandlers _indices;
    private readonly PointInTimeRegistry _registry;

    public PointInTimeHandlers(IndexHandlers indices, PointInTimeRegistry registry)
    {
        _indices = indices;
        _registry = registry;
    }

    /// <summary>
    /// Opens a point in time over the indices of the path: each index's current searcher is pinned until the point in
    /// time is closed or its <c>keep_alive</c> runs out. Answers <c>{"id": ..., "_shards": ...}</c>.
    /// </summary>
    public async Task<RestResponse> OpenAsync(RestRequest request)
    {
        var keepAliveText = request.Param("keep_alive");
        if (keepAliveText is null)
        {
            // OpenPointInTimeRequest.validate, before the indices are resolved.
            throw EngineException.Validation(["[keep_alive] is not specified"]);
        }

        var keepAlive = PointInTimeRules.ParseKeepAlive(keepAliveText);
        if (request.Param("routing") is not null)
        {
            throw SearchErrors.Unsupported("the [routing] parameter");
        }

        request.Param("preference");
        request.BoolParam("allow_partial_search_results", false);
        request.LongParam("max_concurrent_shard_requests");
        var indices = _indices.Resolve(request, request.RequiredRoute("index"));
        request.RejectUnconsumedParameters();
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);
        foreach (var (key, _) in body ?? [])
        {
            throw key == "index_filter"
                ? SearchErrors.Unsupported("[index_filter]")
                : SearchErrors.XContentParse($"[open_point_in_time] unknown field [{key}]");
        }

        var leases = new List<SearcherLease>(indices.Count);
        try
        {
            foreach (var index in indices)
            {
                leases.Add(index.AcquireSearcher());
            }
        }
        catch
        {
            leases.ForEach(lease => lease.Dispose());
            throw;
        }

        var id = _registry.Open([.. leases.Select(lease => lease.Target)], leases, keepAlive);
        return RestResponse.Ok(new JsonObject
        {
            ["id"] = id,
            ["_shards"] = new JsonObject { ["total"] = leases.Count, ["successful"] = leases.Count, ["skipped"] = 0, ["failed"] = 0 },
        });
    }

    /// <summary>
    /// Closes the point in time whose <c>id</c> the body names. Answers <c>{"succeeded": true, "num_freed": N}</c>,
    /// N = 0 when it was unknown or had expired already (200 either way, as Elasticsearch).
    /// </summary>
    public async Task<RestResponse> CloseAsync(RestRequest request)
    {
        request.RejectUnconsumedParameters();
        var body = await request.ReadRequiredJsonObjectAsync().ConfigureAwait(false);
        string? id = null;
        foreach (var (key, value) in body)
        {
            id = key == "id" ? JsonArgs.ReadText(value, key) : throw SearchErrors.XContentParse($"[close_point_in_time] unknown field [{key}]");
        }

        if (string.IsNullOrEmpty(id))
        {
            throw EngineException.Validation(["id is empty"]);
        }

        var freed = _registry.Close(id);
        return RestResponse.Ok(new JsonObject { ["succeeded"] = true, ["num_freed"] = freed });
    }
}
