using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Rerank.Sidecar.IndexConfig;

/// <summary>
/// Which requests can change what <c>GET /{index}/_mapping</c> answers (mappings, aliases, indices, templates), and so
/// empty the config cache when they pass through (docs/sidecar.md, "Index config"): every PUT, POST or DELETE except
/// the data endpoints below. Erring towards invalidating costs one lookup; erring the other way would vectorise with a
/// stale config until the TTL.
/// </summary>
internal static class MappingChangeRule
{
    /// <summary>Endpoints that read or write documents only (the first <c>_</c> segment of the path names the endpoint).</summary>
    internal static readonly FrozenSet<string> DataEndpoints = FrozenSet.Create(StringComparer.Ordinal,
        "_doc", "_create", "_update", "_bulk", "_search", "_msearch", "_count", "_mget", "_refresh", "_flush",
        "_pit", "_explain", "_field_caps", "_termvectors", "_mtermvectors", "_validate", "_analyze",
        "_delete_by_query", "_update_by_query", "_async_search", "_sql", "_eql", "_query", "_render", "_rank_eval");

    public static bool CanChangeMappings(string method, PathString path)
    {
        if (!HttpMethods.IsPut(method) && !HttpMethods.IsPost(method) && !HttpMethods.IsDelete(method))
        {
            return false;
        }

        var value = path.Value ?? "";
        foreach (var segment in value.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('_'))
            {
                return !DataEndpoints.Contains(segment);
            }
        }

        // PUT /{index}, DELETE /{index}: index creation and deletion.
        return true;
    }
}
