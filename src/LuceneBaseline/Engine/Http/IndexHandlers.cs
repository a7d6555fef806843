using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Engine.Store.Aliases;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The index APIs: create, get, exists, delete, mappings, settings, refresh and flush.</summary>
internal sealed class IndexHandlers
{
    private readonly IndexCatalog _catalog;

    public IndexHandlers(IndexCatalog catalog)
    {
        _catalog = catalog;
    }

    /// <summary><c>PUT /{index}</c> with optional <c>settings</c> and <c>mappings</c>.</summary>
    public async Task<RestResponse> CreateAsync(RestRequest request)
    {
        ConsumeMasterParameters(request);
        request.Param("wait_for_active_shards");
        request.RejectUnconsumedParameters();
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);
        var index = _catalog.CreateIndex(request.RequiredRoute("index"), body);
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["index"] = index.Name });
    }

    /// <summary><c>GET /{index}</c>: aliases, mappings and settings of every index the expression names.</summary>
    public Task<RestResponse> GetAsync(RestRequest request)
    {
        var indices = Resolve(request, request.RequiredRoute("index"));
        ConsumeMasterParameters(request);
        var flat = request.BoolParam("flat_settings", false);
        request.BoolParam("include_defaults", false);
        request.Param("features");
        request.RejectUnconsumedParameters();
        var body = new JsonObject();
        foreach (var index in indices)
        {
            var settings = new JsonObject { ["index"] = index.Settings.ToJson() };
            body[index.Name] = new JsonObject
            {
                ["aliases"] = new JsonObject(index.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal)
                    .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value.ToJson()))),
                ["mappings"] = MappingParser.ToJson(index.Mapping),
                ["settings"] = flat ? Flatten(settings) : settings,
            };
        }

        return Task.FromResult(RestResponse.Ok(body));
    }

    /// <summary><c>HEAD /{index}</c>: 200 when every named index exists, else 404.</summary>
    public Task<RestResponse> ExistsAsync(RestRequest request)
    {
        try
        {
            Resolve(request, request.RequiredRoute("index"));
            ConsumeMasterParameters(request);
            request.BoolParam("flat_settings", false);
            request.BoolParam("include_defaults", false);
            request.RejectUnconsumedParameters();
            return Task.FromResult(RestResponse.Empty(200));
        }
        catch (EngineException exception) when (exception.Status == 404)
        {
            return Task.FromResult(RestResponse.Empty(404));
        }
    }

    /// <summary>
    /// <c>DELETE /{index}</c>. Names must be explicit unless <see cref="EngineOptions.DestructiveRequiresName"/> is off:
    /// Elasticsearch 8 refuses wildcards and <c>_all</c> here by default (<c>action.destructive_requires_name</c>).
    /// </summary>
    public Task<RestResponse> DeleteAsync(RestRequest request)
    {
        var expression = request.RequiredRoute("index");
        var ignoreUnavailable = request.BoolParam("ignore_unavailable", false);
        request.BoolParam("allow_no_indices", true);
        request.Param("expand_wildcards");
        ConsumeMasterParameters(request);
        request.RejectUnconsumedParameters();
        _catalog.DeleteIndices(expression, ignoreUnavailable);
        return Task.FromResult(RestResponse.Acknowledged());
    }

    /// <summary><c>GET /_mapping</c> and <c>/{index}/_mapping</c>.</summary>
    public Task<RestResponse> GetMappingAsync(RestRequest request)
    {
        var indices = Resolve(request, request.Route("index") ?? "_all");
        ConsumeMasterParameters(request);
        request.RejectUnconsumedParameters();
        var body = new JsonObject();
        foreach (var index in indices)
        {
            body[index.Name] = new JsonObject { ["mappings"] = MappingParser.ToJson(index.Mapping) };
        }

        return Task.FromResult(RestResponse.Ok(body));
    }

    /// <summary><c>PUT|POST /{index}/_mapping</c>: adds fields and replaces <c>_meta</c> on every index named.</summary>
    public async Task<RestResponse> PutMappingAsync(RestRequest request)
    {
        var indices = Resolve(request, request.RequiredRoute("index"));
        ConsumeMasterParameters(request);
        request.BoolParam("write_index_only", false);
        request.RejectUnconsumedParameters();
        var body = await request.ReadRequiredJsonObjectAsync().ConfigureAwait(false);
        foreach (var index in indices)
        {
            index.PutMapping(body);
        }

        return RestResponse.Acknowledged();
    }

    /// <summary><c>GET /_settings</c> and <c>/{index}/_settings</c>.</summary>
    public Task<RestResponse> GetSettingsAsync(RestRequest request)
    {
        var indices = Resolve(request, request.Route("index") ?? "_all");
        ConsumeMasterParameters(request);
        var flat = request.BoolParam("flat_settings", false);
        request.BoolParam("include_defaults", false);
        request.RejectUnconsumedParameters();
        var body = new JsonObject();
        foreach (var index in indices)
        {
            var settings = new JsonObject { ["index"] = index.Settings.ToJson() };
            body[index.Name] = new JsonObject { ["settings"] = flat ? Flatten(settings) : settings };
        }

        return Task.FromResult(RestResponse.Ok(body));
    }

    /// <summary><c>POST|GET /_refresh</c> and <c>/{index}/_refresh</c>.</summary>
    public Task<RestResponse> RefreshAsync(RestRequest request)
    {
        var indices = Resolve(request, request.Route("index") ?? "_all");
        request.RejectUnconsumedParameters();
        foreach (var index in indices)
        {
            index.Refresh();
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject { ["_shards"] = ShardCopies(indices) }));
    }

    /// <summary><c>POST|GET /_flush</c> and <c>/{index}/_flush</c>: a durable commit (every acknowledged write already has one).</summary>
    public Task<RestResponse> FlushAsync(RestRequest request)
    {
        var indices = Resolve(request, request.Route("index") ?? "_all");
        request.BoolParam("force", false);
        request.BoolParam("wait_if_ongoing", true);
        request.RejectUnconsumedParameters();
        foreach (var index in indices)
        {
            index.Commit();
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject { ["_shards"] = ShardCopies(indices) }));
    }

    /// <summary>
    /// <c>POST /_forcemerge</c> and <c>/{index}/_forcemerge</c>: <c>max_num_segments</c> (default: merge as the merge policy
    /// would, which here means down to one segment per ten), <c>only_expunge_deletes</c>, <c>flush</c> (the merge always
    /// ends with a commit), <c>wait_for_completion</c> (true only: the engine has no task API to report on).
    /// </summary>
    public Task<RestResponse> ForceMergeAsync(RestRequest request)
    {
        var indices = Resolve(request, request.Route("index") ?? "_all");
        var maxSegments = request.LongParam("max_num_segments");
        var onlyExpungeDeletes = request.BoolParam("only_expunge_deletes", false);
        request.BoolParam("flush", true);
        if (!request.BoolParam("wait_for_completion", true))
        {
            throw EngineException.IllegalArgument("[wait_for_completion=false] is not supported by the embedded engine (it has no task API)");
        }

        request.RejectUnconsumedParameters();
        if (maxSegments is not null && onlyExpungeDeletes)
        {
            throw WriteParameters.Validation("cannot set only_expunge_deletes and max_num_segments at the same time, those two parameters are mutually exclusive");
        }

        if (maxSegments is < 1 and not -1)
        {
            throw EngineException.IllegalArgument($"max_num_segments must be at least 1 but was [{maxSegments}]");
        }

        foreach (var index in indices)
        {
            // Without max_num_segments Elasticsearch merges only what the policy asks for; the policy's own goal
            // here is at most ten segments.
            index.ForceMerge(maxSegments is null or -1 ? 10 : (int)Math.Min(maxSegments.Value, int.MaxValue), onlyExpungeDeletes);
        }

        return Task.FromResult(RestResponse.Ok(new JsonObject { ["_shards"] = ShardCopies(indices) }));
    }

    /// <summary>Resolves an index expression (indices and aliases) with the URL's <c>ignore_unavailable</c>, <c>allow_no_indices</c>, <c>expand_wildcards</c>.</summary>
    public IReadOnlyList<EngineIndex> Resolve(RestRequest request, string expression) =>
        [.. ResolveWithAliases(request, expression).Select(resolved => resolved.Index)];

    /// <summary>As <see cref="Resolve"/>, with the alias filters each index is searched under.</summary>
    public IReadOnlyList<ResolvedIndex> ResolveWithAliases(RestRequest request, string expression)
    {
        var ignoreUnavailable = request.BoolParam("ignore_unavailable", false);
        var allowNoIndices = request.BoolParam("allow_no_indices", true);
        var expand = request.Param("expand_wildcards") ?? "open";
        foreach (var value in expand.Split(','))
        {
            if (value is not ("open" or "closed" or "hidden" or "none" or "all"))
            {
                throw EngineException.IllegalArgument($"No enum constant org.elasticsearch.action.support.IndicesOptions.WildcardStates.{value.ToUpperInvariant()}");
            }
        }

        if (expand == "none" && expression.Contains('*'))
        {
            return [];
        }

        return _catalog.ResolveWithAliases(expression, ignoreUnavailable, allowNoIndices);
    }

    /// <summary>The <c>_shards</c> of a broadcast: every primary and replica copy in <c>total</c>, the primaries that answered in <c>successful</c>.</summary>
    public static JsonObject ShardCopies(IReadOnlyList<EngineIndex> indices) => WriteResponses.Shards(
        indices.Sum(i => i.Settings.NumberOfShards * (1 + i.Settings.NumberOfReplicas)),
        indices.Sum(i => i.Settings.NumberOfShards));

    /// <summary>Parameters that only concern a multi-node cluster's master.</summary>
    public static void ConsumeMasterParameters(RestRequest request)
    {
        request.Param("master_timeout");
        request.Param("timeout");
        request.BoolParam("local", false);
    }

    private static JsonObject Flatten(JsonObject nested)
    {
        var flat = new JsonObject();
        void Walk(JsonObject node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                if (value is JsonObject child)
                {
                    Walk(child, prefix + key + ".");
                }
                else
                {
                    flat[prefix + key] = value?.DeepClone();
                }
            }
        }

        Walk(nested, "");
        return flat;
    }
}
