using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Engine.Store.Aliases;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary>Index aliases in the catalog: resolution, write indices, atomic updates, persistence and Elasticsearch's errors.</summary>
public sealed class AliasTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void ResolveWithAliases_CommaListMixingAliasesAndIndices_GivesEachConcreteIndexOnce()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("logs-1", null);
        catalog.CreateIndex("logs-2", null);
        catalog.CreateIndex("other", null);
        catalog.UpdateAliases([Add(["logs-1", "logs-2"], "logs")]);

        Assert.Equal(["logs-1", "logs-2"], Names(catalog.ResolveWithAliases("logs")));
        Assert.Equal(["logs-2", "logs-1", "other"], Names(catalog.ResolveWithAliases("logs-2,logs,other,logs-1")));
        Assert.Equal(["other", "logs-1", "logs-2"], Names(catalog.ResolveWithAliases("oth*,lo*s")));
        Assert.Equal(404, Assert.Throws<EngineException>(() => catalog.ResolveWithAliases("nothing")).Status);
    }

    [Fact]
    public void ResolveWithAliases_FilteredAlias_CarriesItsFilterUnlessTheIndexIsAlsoNamedDirectly()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("docs", null);
        catalog.UpdateAliases([Add(["docs"], "red", new AliasMetadata(Json("""{"term": {"tag": "red"}}"""), null))]);

        Assert.Single(Assert.Single(catalog.ResolveWithAliases("red")).Filters);
        Assert.Empty(Assert.Single(catalog.ResolveWithAliases("red,docs")).Filters);
    }

    [Fact]
    public void WriteIndexOf_FollowsElasticsearchsRules()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);
        catalog.CreateIndex("b", null);

        catalog.UpdateAliases([Add(["a"], "one")]);
        Assert.Equal("a", catalog.WriteIndexOf("one")!.Name);
        Assert.Null(catalog.WriteIndexOf("a"));

        catalog.UpdateAliases([Add(["a", "b"], "both")]);
        SearchAssertError(
            () => catalog.WriteIndexOf("both"), 400, "illegal_argument_exception",
            "no write index is defined for alias [both]. The write index may be explicitly disabled using is_write_index=false or the alias "
            + "points to multiple indices without one being designated as a write index");

        catalog.UpdateAliases([Add(["b"], "both", new AliasMetadata(null, true))]);
        Assert.Equal("b", catalog.WriteIndexOf("both")!.Name);
        Assert.Equal("b", catalog.GetOrCreateForWrite("both").Name);

        catalog.UpdateAliases([Add(["a"], "off", new AliasMetadata(null, false))]);
        Assert.Throws<EngineException>(() => catalog.GetIndex("off"));
    }

    [Fact]
    public void UpdateAliases_AliasNamedLikeAnIndex_IsInvalidAliasName()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);
        var b = catalog.CreateIndex("b", null);

        SearchAssertError(
            () => catalog.UpdateAliases([Add(["a"], "b")]), 400, "invalid_alias_name_exception",
            "Invalid alias name [b]: an index or data stream exists with the same name as the alias");
        Assert.Empty(catalog.GetIndex("a").Aliases);
        Assert.Equal(b.Uuid, (string?)Assert.Throws<EngineException>(() => catalog.UpdateAliases([Add(["a"], "b")])).Extra!["index_uuid"]);
    }

    [Fact]
    public void CreateIndex_NamedLikeAnAlias_IsInvalidIndexName()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);
        catalog.UpdateAliases([Add(["a"], "current")]);

        SearchAssertError(() => catalog.CreateIndex("current", null), 400, "invalid_index_name_exception", "Invalid index name [current], already exists as alias");
        Assert.Equal("a", catalog.GetOrCreateForWrite("current").Name);
        Assert.Single(catalog.Indices);
    }

    [Fact]
    public void UpdateAliases_OneActionFails_NothingChanges()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);

        SearchAssertError(
            () => catalog.UpdateAliases([Add(["a"], "x"), new AliasAction(AliasActionKind.Remove, ["a"], ["missing"], AliasMetadata.Plain)]),
            404, "aliases_not_found_exception", "aliases [missing] missing");
        Assert.Empty(catalog.GetIndex("a").Aliases);
        Assert.Equal(404, Assert.Throws<EngineException>(() => catalog.UpdateAliases([Add(["nope"], "x")])).Status);
        Assert.Empty(catalog.GetIndex("a").Aliases);
    }

    [Fact]
    public void UpdateAliases_TwoWriteIndices_AreRefused()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);
        catalog.CreateIndex("b", null);
        catalog.UpdateAliases([Add(["a"], "w", new AliasMetadata(null, true))]);

        SearchAssertError(
            () => catalog.UpdateAliases([Add(["b"], "w", new AliasMetadata(null, true))]), 400, "illegal_state_exception",
            "alias [w] has more than one write index [a,b]");
    }

    [Fact]
    public void UpdateAliases_RemoveIndexAndTakeItsNameAsAlias_SwapsAtomically()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("products", null);
        catalog.CreateIndex("products-v2", null);

        catalog.UpdateAliases([Add(["products-v2"], "products"), new AliasAction(AliasActionKind.RemoveIndex, ["products"], [], AliasMetadata.Plain)]);

        Assert.Equal(["products-v2"], catalog.Indices.Select(i => i.Name));
        Assert.Equal("products-v2", Assert.Single(catalog.ResolveWithAliases("products")).Index.Name);
        SearchAssertError(
            () => catalog.UpdateAliases([new AliasAction(AliasActionKind.RemoveIndex, ["products"], [], AliasMetadata.Plain)]), 400,
            "illegal_argument_exception", "The provided expression [products] matches an alias, specify the corresponding concrete indices instead.");
    }

    [Fact]
    public async Task UpdateAliases_SwapUnderConcurrentLookups_NeverShowsHalfOfIt()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", Json("""{"aliases": {"current": {}}}"""));
        catalog.CreateIndex("b", null);
        using var done = new CancellationTokenSource();
        var seen = new HashSet<int>();
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                seen.Add(catalog.ResolveWithAliases("current", ignoreUnavailable: true).Count);
                _ = catalog.GetOrCreateForWrite("current");
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 200; i++)
        {
            var (from, to) = i % 2 == 0 ? ("a", "b") : ("b", "a");
            catalog.UpdateAliases([new AliasAction(AliasActionKind.Remove, [from], ["current"], AliasMetadata.Plain), Add([to], "current")]);
        }

        await done.CancelAsync();
        await reader;
        Assert.Equal([1], seen);
        Assert.Equal(["a", "b"], catalog.Indices.Select(i => i.Name));
    }

    [Fact]
    public void Aliases_SurviveReopen_AndGoWithTheirIndex()
    {
        using (var catalog = _context.OpenCatalog())
        {
            catalog.CreateIndex("a", Json("""{"aliases": {"all": {}, "w": {"is_write_index": true, "filter": {"term": {"k": "v"}}}}}"""));
            catalog.CreateIndex("b", null);
            catalog.UpdateAliases([Add(["b"], "all")]);
        }

        using (var reopened = _context.OpenCatalog())
        {
            Assert.Equal(["a", "b"], Names(reopened.ResolveWithAliases("all")));
            var w = reopened.GetIndex("a").Aliases["w"];
            Assert.True(w.IsWriteIndex);
            Assert.True(JsonNode.DeepEquals(Json("""{"term": {"k": "v"}}"""), w.Filter));
            reopened.DeleteIndices("a");
            Assert.False(reopened.IsAlias("w"));
        }

        using var again = _context.OpenCatalog();
        Assert.Equal(["b"], Names(again.ResolveWithAliases("all")));
        Assert.False(again.IsAlias("w"));
    }

    [Fact]
    public void Open_MetadataOfFormat2_OpensWithNoAliasesAndIsRewrittenAsFormat3()
    {
        string folder;
        using (var catalog = _context.OpenCatalog())
        {
            folder = catalog.CreateIndex("old", null).Folder;
        }

        // A meta.json as the engine wrote it before aliases: format 2, no "aliases" key.
        var path = Path.Combine(folder, IndexMetadata.FileName);
        var meta = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        meta["format"] = 2;
        meta.Remove("aliases");
        File.WriteAllText(path, meta.ToJsonString());

        using (var reopened = _context.OpenCatalog())
        {
            Assert.Empty(reopened.GetIndex("old").Aliases);
            reopened.UpdateAliases([Add(["old"], "new")]);
        }

        var rewritten = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(3, (int)rewritten["format"]!);
        Assert.True(JsonNode.DeepEquals(Json("""{"new": {}}"""), rewritten["aliases"]));
    }

    private static AliasAction Add(string[] indices, string alias, AliasMetadata? metadata = null) =>
        new(AliasActionKind.Add, indices, [alias], metadata ?? AliasMetadata.Plain);

    private static List<string> Names(IReadOnlyList<ResolvedIndex> resolved) => [.. resolved.Select(r => r.Index.Name)];

    private static void SearchAssertError(Action action, int status, string type, string reason)
    {
        var error = Assert.Throws<EngineException>(action);
        Assert.Equal((status, type, reason), (error.Status, error.Type, error.Reason));
    }
}
