using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary><c>POST|PUT /_bulk</c> and <c>/{index}/_bulk</c>.</summary>
/// <remarks>
/// <list type="number">
/// <item>The body is parsed whole (<see cref="BulkRequestReader"/>); a malformed action line fails the request.</item>
/// <item>Items run in order; each failure is reported in its own item (<c>errors</c> true), the rest go on.</item>
/// <item>Every index the request wrote to is committed once, then refreshed as <c>refresh</c> asks, before the
/// answer: the whole request is durable when acknowledged.</item>
/// </list>
/// </remarks>
internal sealed class BulkHandler
{
    private readonly IndexCatalog _catalog;
    private readonly TimeProvider _timeProvider;

    public BulkHandler(IndexCatalog catalog, TimeProvider timeProvider)
    {
        _catalog = catalog;
        _timeProvider = timeProvider;
    }

    public async Task<RestResponse> HandleAsync(RestRequest request)
    {
        var started = _timeProvider.GetTimestamp();
        var defaultIndex = request.Route("index");
        var refresh = RefreshPolicies.Read(request);
        WriteParameters.RejectUnsupported(request, "pipeline", "ingest pipelines");
        WriteParameters.ConsumeOneNodeParameters(request);
        var requireAlias = request.BoolParam("require_alias", false);
        request.Param("list_executed_pipelines");
        // Null when the URL gives no source filtering (Elasticsearch's parseFromRestRequest), so an update body's own
        // `_source` can apply.
        var defaultSource = request.HasParam("_source") || request.HasParam("_source_includes") || request.HasParam("_source_excludes")
            ? SourceFilterParameters.Read(request, defaultFetch: false)
            : null;
        request.RejectUnconsumedParameters();

        var operations = await BulkRequestReader.ReadAsync(request.Context.Request.Body, defaultIndex, request.Aborted).ConfigureAwait(false);
        var items = new JsonArray();
        var errors = false;
        var touched = new Dictionary<string, (EngineIndex Index, long MaxSeqNo)>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            request.Aborted.ThrowIfCancellationRequested();
            JsonObject item;
            try
            {
                item = Execute(operation with { RequireAlias = operation.RequireAlias ?? requireAlias }, defaultSource, touched);
            }
            catch (EngineException exception)
            {
                errors = true;
                item = Failure(operation, exception);
            }

            items.Add(new JsonObject { [operation.ActionName] = item });
        }

        foreach (var (index, _) in touched.Values)
        {
            index.Commit();
        }

        foreach (var (index, maxSeqNo) in touched.Values)
        {
            if (refresh == RefreshPolicy.Immediate)
            {
                index.Refresh();
            }
            else if (refresh == RefreshPolicy.WaitFor)
            {
                await index.WaitForRefreshAsync(maxSeqNo, request.Aborted).ConfigureAwait(false);
            }
        }

        var took = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
        return RestResponse.Ok(new JsonObject { ["took"] = took, ["errors"] = errors, ["items"] = items });
    }

    private JsonObject Execute(BulkOperation operation, SourceSpec? defaultSource, Dictionary<string, (EngineIndex Index, long MaxSeqNo)> touched)
    {
        if (operation.SourceError is { } sourceError)
        {
            throw sourceError;
        }

        if (operation.RequireAlias == true)
        {
            WriteParameters.CheckIsAlias(operation.Index, _catalog);
        }

        // A delete does not create its index; every other action does, as in Elasticsearch.
        var index = operation.Action == BulkAction.Delete
            ? _catalog.GetIndex(operation.Index)
            : _catalog.GetOrCreateForWrite(operation.Index);

        var result = operation.Action switch
        {
            BulkAction.Index or BulkAction.Create => index.Index(operation.Id, operation.Source!, operation.Options),
            BulkAction.Update => index.Update(operation.Id!, operation.Update!, operation.Options),
            _ => index.Delete(operation.Id!, operation.Options),
        };

        var maxSeqNo = touched.TryGetValue(index.Name, out var seen) ? Math.Max(seen.MaxSeqNo, result.SeqNo) : result.SeqNo;
        touched[index.Name] = (index, maxSeqNo);

        // Elasticsearch writes an item's status right after its _shards.
        var item = WriteResponses.Body(result, index, forcedRefresh: false);
        item.Insert(item.IndexOf("_shards") + 1, "status", WriteResponses.Status(result.Result));
        // Elasticsearch parses the update body, then sets the action line's `_source` (or else the URL's) over it.
        var filter = operation.Action == BulkAction.Update
            ? operation.UpdateSource ?? defaultSource ?? operation.UpdateBodySource ?? SourceSpec.None
            : SourceSpec.None;
        if (operation.Action == BulkAction.Update && filter.Fetch)
        {
            item["get"] = WriteResponses.UpdatedGet(index.Get(result.Id), filter);
        }

        return item;
    }

    private JsonObject Failure(BulkOperation operation, EngineException exception)
    {
        var error = ErrorJson.Describe(exception, UuidOf);
        var item = new JsonObject { ["_index"] = operation.Index, ["_id"] = operation.Id };
        item["status"] = exception.Status;
        item["error"] = error;
        return item;
    }

    private string? UuidOf(string index) => _catalog.TryGetIndex(index, out var found) ? found.Uuid : null;
}
