using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>GET /</c> (node and version information, which clients read first) and <c>GET /_cluster/health</c>.</summary>
internal sealed class ClusterHandlers
{
    /// <summary>
    /// The Elasticsearch version whose REST shapes the engine follows. Clients choose request and response formats
    /// by it; the engine is not Elasticsearch and says so in <c>build_flavor</c>.
    /// </summary>
    public const string CompatibleVersion = "8.17.0";

    /// <summary>
    /// <c>version.build_date</c>: a fixed date, the release of Elasticsearch <see cref="CompatibleVersion"/> whose REST
    /// shapes the engine follows. The build is deterministic, so it carries no build time of its own; clients parse
    /// the field as an ISO-8601 timestamp (the .NET client as a <c>DateTimeOffset</c>).
    /// </summary>
    public const string BuildDate = "2024-12-12T00:00:00.000Z";

    private readonly IndexCatalog _catalog;
    private readonly EngineHostOptions _options;
    private readonly string _clusterUuid;
    private readonly string _nodeName;

    public ClusterHandlers(IndexCatalog catalog, EngineHostOptions options)
    {
        _catalog = catalog;
        _options = options;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(options.DataDirectory)));
        _clusterUuid = Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _nodeName = options.NodeName ?? DefaultNodeName(options.DataDirectory);
    }

    /// <summary>The node name of a data directory when none is configured: <c>rerank-</c> and 8 hex digits of a hash of its full path.</summary>
    public static string DefaultNodeName(string dataDirectory)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("node:" + Path.GetFullPath(dataDirectory)));
        return "rerank-" + Convert.ToHexStringLower(hash, 0, 4);
    }

    public Task<RestResponse> InfoAsync(RestRequest request)
    {
        request.RejectUnconsumedParameters();
        return Task.FromResult(RestResponse.Ok(new JsonObject
        {
            ["name"] = _nodeName,
            ["cluster_name"] = _options.ClusterName,
            ["cluster_uuid"] = _clusterUuid,
            ["version"] = new JsonObject
            {
                ["number"] = CompatibleVersion,
                ["build_flavor"] = "rerank-embedded",
                ["build_type"] = "dotnet",
                ["build_hash"] = "unknown",
                ["build_date"] = BuildDate,
                ["build_snapshot"] = false,
                ["lucene_version"] = "4.8.0",
                ["minimum_wire_compatibility_version"] = "7.17.0",
                ["minimum_index_compatibility_version"] = "7.0.0",
            },
            ["tagline"] = "You Know, for Search",
        }));
    }

    /// <summary>
    /// <c>GET /_cluster/health[/{index}]</c>: one node holding every primary, so the status is green, or yellow where
    /// an index asks for replicas (they have no second node to live on), exactly as a single-node cluster reports.
    /// <c>wait_for_status</c> is answered at once: the status cannot change without a second node.
    /// </summary>
    public Task<RestResponse> HealthAsync(RestRequest request)
    {
        var indices = request.Route("index") is { } expression
            ? _catalog.Resolve(expression, ignoreUnavailable: false, allowNoIndices: true)
            : [.. _catalog.Indices];
        var waitFor = request.Param("wait_for_status");
        request.Param("timeout");
        request.Param("master_timeout");
        request.Param("level");
        request.Param("wait_for_active_shards");
        request.Param("wait_for_nodes");
        request.Param("wait_for_events");
        request.BoolParam("wait_for_no_relocating_shards", false);
        request.BoolParam("wait_for_no_initializing_shards", false);
        request.BoolParam("local", false);
        request.Param("expand_wildcards");
        request.RejectUnconsumedParameters();

        var primaries = indices.Sum(i => i.Settings.NumberOfShards);
        var unassigned = indices.Sum(i => i.Settings.NumberOfShards * i.Settings.NumberOfReplicas);
        var status = unassigned > 0 ? "yellow" : "green";
        var timedOut = waitFor switch
        {
            null or "yellow" or "red" => false,
            "green" => status != "green",
            _ => throw EngineException.IllegalArgument($"unknown cluster health status [{waitFor}]"),
        };
        var total = primaries + unassigned;
        var body = new JsonObject
        {
            ["cluster_name"] = _options.ClusterName,
            ["status"] = status,
            ["timed_out"] = timedOut,
            ["number_of_nodes"] = 1,
            ["number_of_data_nodes"] = 1,
            ["active_primary_shards"] = primaries,
            ["active_shards"] = primaries,
            ["relocating_shards"] = 0,
            ["initializing_shards"] = 0,
            ["unassigned_shards"] = unassigned,
            ["unassigned_primary_shards"] = 0,
            ["delayed_unassigned_shards"] = 0,
            ["number_of_pending_tasks"] = 0,
            ["number_of_in_flight_fetch"] = 0,
            ["task_max_waiting_in_queue_millis"] = 0,
            ["active_shards_percent_as_number"] = total == 0 ? 100.0 : 100.0 * primaries / total,
        };

        // Elasticsearch answers a timed-out wait with 408 and the same body.
        return Task.FromResult(RestResponse.Of(timedOut ? 408 : 200, body));
    }
}
