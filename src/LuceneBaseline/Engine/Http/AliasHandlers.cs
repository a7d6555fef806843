using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Engine.Store.Aliases;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// The alias APIs: <c>PUT|POST /{index}/_alias(es)/{name}</c>, <c>DELETE /{index}/_alias(es)/{name}</c>,
/// <c>POST /_aliases</c>, <c>GET</c> of <c>/_alias</c>, <c>/_alias/{name}</c>, <c>/{index}/_alias</c>,
/// <c>/{index}/_alias/{name}</c>, and <c>HEAD</c> of <c>/_alias/{name}</c> and <c>/{index}/_alias/{name}</c>.
/// </summary>
internal sealed class AliasHandlers
{
    private readonly IndexCatalog _catalog;

    public AliasHandlers(IndexCatalog catalog)
    {
        _catalog = catalog;
    }

    /// <summary><c>PUT|POST /{index}/_alias/{name}</c>: an add action, with <c>filter</c> and <c>is_write_index</c> from the body.</summary>
    public async Task<RestResponse> PutAsync(RestRequest request)
    {
        IndexHandlers.ConsumeMasterParameters(request);
        request.RejectUnconsumedParameters();
        var name = request.RequiredRoute("name");
        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false);
        AliasActionParser.ValidateName(name);
        var alias = AliasActionParser.ParseAlias(name, body);
        _catalog.UpdateAliases([new AliasAction(AliasActionKind.Add, [request.RequiredRoute("index")], [name], alias)]);
        return RestResponse.Acknowledged();
    }

    /// <summary><c>DELETE /{index}/_alias/{name}</c>: a remove action (names may be patterns); a missing alias is 404.</summary>
    public Task<RestResponse> DeleteAsync(RestRequest request)
    {
        IndexHandlers.ConsumeMasterParameters(request);
        request.RejectUnconsumedParameters();
        var names = request.RequiredRoute("name").Split(',', StringSplitOptions.RemoveEmptyEntries);
        _catalog.UpdateAliases([new AliasAction(AliasActionKind.Remove, [request.RequiredRoute("index")], names, AliasMetadata.Plain)]);
        return Task.FromResult(RestResponse.Acknowledged());
    }

    /// <summary><c>POST /_aliases</c>: <c>actions</c> applied atomically.</summary>
    public async Task<RestResponse> UpdateAsync(RestRequest request)
    {
        IndexHandlers.ConsumeMasterParameters(request);
        request.RejectUnconsumedParameters();
        var body = await request.ReadRequiredJsonObjectAsync().ConfigureAwait(false);
        _catalog.UpdateAliases(AliasActionParser.ParseActions(body));
        return RestResponse.Ok(new JsonObject { ["acknowledged"] = true, ["errors"] = false });
    }

    /// <summary>
    /// <c>GET</c> of the alias paths: <c>{index: {aliases: {name: {...}}}}</c>. Named aliases that no index has make
    /// the answer 404 with Elasticsearch's <c>error</c> string and <c>status</c> beside the indices found.
    /// </summary>
    public Task<RestResponse> GetAsync(RestRequest request)
    {
        var (body, missing) = Get(request);
        if (missing.Count > 0)
        {
            body["error"] = missing.Count == 1 ? $"alias [{missing[0]}] missing" : $"aliases [{string.Join(',', missing)}] missing";
            body["status"] = 404;
            return Task.FromResult(RestResponse.Of(404, body));
        }

        return Task.FromResult(RestResponse.Ok(body));
    }

    /// <summary><c>HEAD</c> of the alias paths: 200 when every named alias exists (and any exists for a pattern), else 404.</summary>
    public Task<RestResponse> ExistsAsync(RestRequest request)
    {
        try
        {
            var (body, missing) = Get(request);
            var any = body.Any(index => index.Value!["aliases"]!.AsObject().Count > 0);
            return Task.FromResult(RestResponse.Empty(missing.Count == 0 && any ? 200 : 404));
        }
        catch (Errors.EngineException e) when (e.Status == 404)
        {
            return Task.FromResult(RestResponse.Empty(404));
        }
    }

    private (JsonObject Body, IReadOnlyList<string> Missing) Get(RestRequest request)
    {
        IndexHandlers.ConsumeMasterParameters(request);
        var ignoreUnavailable = request.BoolParam("ignore_unavailable", false);
        request.BoolParam("allow_no_indices", true);
        request.Param("expand_wildcards");
        request.RejectUnconsumedParameters();
        return _catalog.GetAliases(request.Route("index"), request.Route("name"), ignoreUnavailable);
    }
}
