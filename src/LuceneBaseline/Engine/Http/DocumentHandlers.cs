using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The single-document APIs: <c>_doc</c>, <c>_create</c>, <c>_update</c>, <c>_source</c> and <c>_mget</c>.</summary>
internal sealed class DocumentHandlers
{
    private readonly IndexCatalog _catalog;

    public DocumentHandlers(IndexCatalog catalog)
    {
        _catalog = catalog;
    }

    /// <summary><c>PUT|POST /{index}/_doc/{id}</c>, <c>POST /{index}/_doc</c>, <c>PUT|POST /{index}/_create/{id}</c>.</summary>
    public Func<RestRequest, Task<RestResponse>> Index(OpType opType, bool allowOpType) => async request =>
    {
        var id = request.Route("id");
        var options = WriteParameters.Read(request, opType, allowOpType);
        WriteParameters.CheckRequireAlias(request, _catalog);
        var refresh = RefreshPolicies.Read(request);
        request.RejectUnconsumedParameters();
        var source = await request.ReadJsonObjectAsync().ConfigureAwait(false)
            ?? throw WriteParameters.Validation("source is missing");

        // Elasticsearch validates the request before it auto-creates the index: a bad request creates nothing.
        EngineIndex.ValidateIndex(id, options);
        var index = _catalog.GetOrCreateForWrite(request.RequiredRoute("index"));
        var result = index.Index(id, source, options);
        return await AcknowledgeAsync(index, result, refresh, request.Aborted).ConfigureAwait(false);
    };

    /// <summary><c>POST /{index}/_update/{id}</c>: partial document, <c>doc_as_upsert</c>, <c>upsert</c>, <c>detect_noop</c>.</summary>
    public async Task<RestResponse> UpdateAsync(RestRequest request)
    {
        var id = request.RequiredRoute("id");
        var ifSeqNo = request.LongParam("if_seq_no");
        var ifPrimaryTerm = request.LongParam("if_primary_term");
        request.LongParam("retry_on_conflict"); // updates of one id are serialised here, so there is nothing to retry
        WriteParameters.RejectUnsupported(request, "lang", "scripts");
        WriteParameters.ConsumeOneNodeParameters(request);
        WriteParameters.CheckRequireAlias(request, _catalog);
        var sourceFilter = SourceFilterParameters.Read(request, defaultFetch: false);
        var refresh = RefreshPolicies.Read(request);
        request.RejectUnconsumedParameters();
        var options = WriteParameters.Options(OpType.Index, ifSeqNo, ifPrimaryTerm);

        var body = await request.ReadJsonObjectAsync().ConfigureAwait(false) ?? [];
        // The body may carry if_seq_no / if_primary_term too; Elasticsearch reads the URL's first, so the body's win.
        (var update, var bodyFilter, options) = UpdateBody.Parse(body, options);
        EngineIndex.ValidateUpdate(id, update, options);
        var index = _catalog.GetOrCreateForWrite(request.RequiredRoute("index"));
        var result = index.Update(id, update, options);
        var response = await AcknowledgeAsync(index, result, refresh, request.Aborted).ConfigureAwait(false);

        // `_source` in the URL or the body asks for the updated document back under "get".
        var filter = bodyFilter ?? sourceFilter;
        if (filter.Fetch && result.Result != WriteOutcome.NotFound && response.Json is JsonObject json)
        {
            json["get"] = WriteResponses.UpdatedGet(index.Get(id), filter);
        }

        return response;
    }

    /// <summary><c>GET|HEAD /{index}/_doc/{id}</c>.</summary>
    public Task<RestResponse> GetAsync(RestRequest request)
    {
        var (_, found, filter) = GetOne(request);
        return Task.FromResult(RestResponse.Of(found.Found ? 200 : 404, GetBody(found, filter)));
    }

    /// <summary><c>GET|HEAD /{index}/_source/{id}</c>: the source alone.</summary>
    public Task<RestResponse> GetSourceAsync(RestRequest request)
    {
        var (index, found, filter) = GetOne(request);
        if (!found.Found || found.Source is null)
        {
            throw new EngineException(404, "resource_not_found_exception", $"Document not found [{index.Name}]/[_doc]/[{found.Id}]");
        }

        return Task.FromResult(RestResponse.Ok(filter.Apply(found.Source)));
    }

    /// <summary><c>DELETE /{index}/_doc/{id}</c>.</summary>
    public async Task<RestResponse> DeleteAsync(RestRequest request)
    {
        var id = request.RequiredRoute("id");
        var options = WriteParameters.Read(request, OpType.Index, allowOpType: false);
        WriteParameters.CheckRequireAlias(request, _catalog);
        var refresh = RefreshPolicies.Read(request);
        request.RejectUnconsumedParameters();
        EngineIndex.ValidateDelete(id, options);
        var index = _catalog.GetIndex(request.RequiredRoute("index"));
        var result = index.Delete(id, options);
        return await AcknowledgeAsync(index, result, refresh, request.Aborted).ConfigureAwait(false);
    }

    /// <summary><c>GET|POST /_mget</c> and <c>/{index}/_mget</c>: <c>docs</c> or <c>ids</c>.</summary>
    public async Task<RestResponse> MultiGetAsync(RestRequest request)
    {
        var defaultIndex = request.Route("index");
        var get = ReadGetParameters(request);
        request.RejectUnconsumedParameters();
        var body = await request.ReadRequiredJsonObjectAsync().ConfigureAwait(false);
        var items = MultiGetBody.Parse(body, defaultIndex, get.Filter);

        var docs = new JsonArray();
        foreach (var item in items)
        {
            EngineIndex index;
            try
            {
                index = _catalog.GetIndexForRead(item.Index);
            }
            catch (EngineException missing)
            {
                // A missing index or an alias of several fails its item alone.
                docs.Add(new JsonObject
                {
                    ["_index"] = item.Index,
                    ["_id"] = item.Id,
                    ["error"] = ErrorBody.Create(missing, _ => null)["error"]!.DeepClone(),
                });
                continue;
            }

            get.RefreshIfAsked(index);
            docs.Add(GetBody(index.Get(item.Id), item.Filter));
        }

        return RestResponse.Ok(new JsonObject { ["docs"] = docs });
    }

    /// <summary>The document of <c>/{index}/{_doc|_source}/{id}</c>, read as the get parameters ask, and their source filter.</summary>
    private (EngineIndex Index, GetResult Found, SourceSpec Filter) GetOne(RestRequest request)
    {
        var id = request.RequiredRoute("id");
        var get = ReadGetParameters(request);
        request.RejectUnconsumedParameters();
        var index = _catalog.GetIndexForRead(request.RequiredRoute("index"));
        get.RefreshIfAsked(index);
        return (index, index.Get(id), get.Filter);
    }

    /// <summary>The body of a get: versions, <c>found</c> and the (filtered) source.</summary>
    private static JsonObject GetBody(GetResult found, SourceSpec filter)
    {
        var body = new JsonObject { ["_index"] = found.Index, ["_id"] = found.Id };
        if (!found.Found)
        {
            body["found"] = false;
            return body;
        }

        body["_version"] = found.Version;
        body["_seq_no"] = found.SeqNo;
        body["_primary_term"] = found.PrimaryTerm;
        body["found"] = true;
        if (filter.Fetch && found.Source is not null)
        {
            body["_source"] = filter.Apply(found.Source);
        }

        return body;
    }

    /// <summary>
    /// Parameters of the get APIs. Every get is realtime (the engine answers from its version map and an on-demand
    /// internal reader), so <c>realtime=false</c> changes nothing that can be observed; <c>refresh=true</c> refreshes
    /// the index for search first, as Elasticsearch does; routing and preference have one shard to choose from.
    /// <c>stored_fields=_none_</c> leaves the source out (no field is stored apart from it).
    /// </summary>
    private static GetParameters ReadGetParameters(RestRequest request)
    {
        request.BoolParam("realtime", true);
        var refresh = request.BoolParam("refresh", false);
        request.Param("routing");
        request.Param("preference");
        var noStoredFields = false;
        if (request.Param("stored_fields") is { } storedFields)
        {
            if (storedFields != "_none_")
            {
                throw EngineException.IllegalArgument("parameter [stored_fields] is not supported by the embedded engine (no field is stored apart from _source)");
            }

            noStoredFields = true;
        }

        WriteParameters.RejectUnsupported(request, "version", "external versioning");
        WriteParameters.RejectUnsupported(request, "version_type", "external versioning");
        var filter = SourceFilterParameters.Read(request, defaultFetch: true);
        return new GetParameters(noStoredFields && !request.HasParam("_source") ? SourceSpec.None : filter, refresh);
    }

    private sealed record GetParameters(SourceSpec Filter, bool Refresh)
    {
        public void RefreshIfAsked(EngineIndex index)
        {
            if (Refresh)
            {
                index.Refresh();
            }
        }
    }

    private static async Task<RestResponse> AcknowledgeAsync(EngineIndex index, WriteResult result, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        // Durable before acknowledged: a restart keeps every write the client was told about.
        index.Commit();
        switch (refresh)
        {
            case RefreshPolicy.Immediate:
                index.Refresh();
                break;
            case RefreshPolicy.WaitFor when result.Result != WriteOutcome.Noop:
                await index.WaitForRefreshAsync(result.SeqNo, cancellationToken).ConfigureAwait(false);
                break;
        }

        var forced = refresh == RefreshPolicy.Immediate && result.Result != WriteOutcome.Noop;
        return RestResponse.Of(WriteResponses.Status(result.Result), WriteResponses.Body(result, index, forced));
    }
}
