using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The engine's REST API: every path and method it answers (docs/embedded-engine.md lists them).</summary>
internal static class EngineRoutes
{
    public static RestRouter Create(IndexCatalog catalog, EngineHostOptions options, TimeProvider timeProvider, PointInTimeRegistry pointsInTime)
    {
        var cluster = new ClusterHandlers(catalog, options);
        var indices = new IndexHandlers(catalog);
        var cat = new CatIndicesHandler(indices);
        var documents = new DocumentHandlers(catalog);
        var bulk = new BulkHandler(catalog, timeProvider);
        var search = new SearchHandlers(indices, pointsInTime, timeProvider, catalog.Metrics);
        var pit = new PointInTimeHandlers(indices, pointsInTime);
        var aliases = new AliasHandlers(catalog);
        var catAliases = new CatAliasesHandler(catalog);

        return new RestRouter()
            .Map("GET, HEAD", "/", cluster.InfoAsync)
            .Map("GET", "/_cluster/health", cluster.HealthAsync)
            .Map("GET", "/_cluster/health/{index}", cluster.HealthAsync)
            .Map("GET", "/_cat/indices", cat.HandleAsync)
            .Map("GET", "/_cat/indices/{index}", cat.HandleAsync)
            .Map("GET", "/_cat/aliases", catAliases.HandleAsync)
            .Map("GET", "/_cat/aliases/{name}", catAliases.HandleAsync)

            .Map("PUT", "/{index}", indices.CreateAsync)
            .Map("GET", "/{index}", indices.GetAsync)
            .Map("HEAD", "/{index}", indices.ExistsAsync)
            .Map("DELETE", "/{index}", indices.DeleteAsync)
            .Map("GET", "/_mapping", indices.GetMappingAsync)
            .Map("GET", "/{index}/_mapping", indices.GetMappingAsync)
            .Map("PUT, POST", "/{index}/_mapping", indices.PutMappingAsync)
            .Map("GET", "/_settings", indices.GetSettingsAsync)
            .Map("GET", "/{index}/_settings", indices.GetSettingsAsync)
            .Map("POST, GET", "/_refresh", indices.RefreshAsync)
            .Map("POST, GET", "/{index}/_refresh", indices.RefreshAsync)
            .Map("POST, GET", "/_flush", indices.FlushAsync)
            .Map("POST, GET", "/{index}/_flush", indices.FlushAsync)
            .Map("POST", "/_forcemerge", indices.ForceMergeAsync)
            .Map("POST", "/{index}/_forcemerge", indices.ForceMergeAsync)
            .Map("PUT, POST", "/{index}/_alias/{name}", aliases.PutAsync)
            .Map("PUT, POST", "/{index}/_aliases/{name}", aliases.PutAsync)
            .Map("DELETE", "/{index}/_alias/{name}", aliases.DeleteAsync)
            .Map("DELETE", "/{index}/_aliases/{name}", aliases.DeleteAsync)
            .Map("POST", "/_aliases", aliases.UpdateAsync)
            .Map("GET", "/_alias", aliases.GetAsync)
            .Map("GET", "/_aliases", aliases.GetAsync)
            .Map("GET", "/_alias/{name}", aliases.GetAsync)
            .Map("GET", "/{index}/_alias", aliases.GetAsync)
            .Map("GET", "/{index}/_alias/{name}", aliases.GetAsync)
            .Map("HEAD", "/_alias/{name}", aliases.ExistsAsync)
            .Map("HEAD", "/{index}/_alias/{name}", aliases.ExistsAsync)

            .Map("PUT, POST", "/{index}/_doc/{id}", documents.Index(OpType.Index, allowOpType: true))
            .Map("GET, HEAD", "/{index}/_doc/{id}", documents.GetAsync)
            .Map("DELETE", "/{index}/_doc/{id}", documents.DeleteAsync)
            .Map("POST", "/{index}/_doc", documents.Index(OpType.Index, allowOpType: true))
            .Map("PUT, POST", "/{index}/_create/{id}", documents.Index(OpType.Create, allowOpType: false))
            .Map("POST", "/{index}/_update/{id}", documents.UpdateAsync)
            .Map("GET, HEAD", "/{index}/_source/{id}", documents.GetSourceAsync)
            .Map("GET, POST", "/_mget", documents.MultiGetAsync)
            .Map("GET, POST", "/{index}/_mget", documents.MultiGetAsync)
            .Map("POST, PUT", "/_bulk", bulk.HandleAsync)
            .Map("POST, PUT", "/{index}/_bulk", bulk.HandleAsync)

            .Map("GET, POST", "/_search", search.SearchAsync)
            .Map("GET, POST", "/{index}/_search", search.SearchAsync)
            .Map("GET, POST", "/_count", search.CountAsync)
            .Map("GET, POST", "/{index}/_count", search.CountAsync)
            .Map("POST", "/{index}/_pit", pit.OpenAsync)
            .Map("DELETE", "/_pit", pit.CloseAsync);
    }
}
