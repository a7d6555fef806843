using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Store;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class IndexCatalogTests : IDisposable
{
    private readonly StoreTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void CreateIndex_ThenReopen_IndexMetadataMappingAndDocumentsKept()
    {
        string uuid;
        using (var catalog = _context.OpenCatalog())
        {
            var index = catalog.CreateIndex("papers", Json("""
                {
                  "settings": {"number_of_shards": 2, "index.refresh_interval": "-1"},
                  "mappings": {"properties": {"title": {"type": "text"}, "year": {"type": "integer"}}, "_meta": {"v": 1}}
                }
                """));
            uuid = index.Uuid;
            index.Index("p1", Json("""{"title": "BM25 at scale", "year": 2020}"""), WriteOptions.Default);
            index.Index("p2", Json("""{"title": "dense retrieval", "year": 2021, "venue": "sigir"}"""), WriteOptions.Default);
            index.Delete("p2", WriteOptions.Default);
            index.Index("p3", Json("""{"title": "reranking"}"""), WriteOptions.Default);
            index.Commit();
        }

        using var reopened = _context.OpenCatalog();
        var again = reopened.GetIndex("papers");

        Assert.Equal(uuid, again.Uuid);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), again.CreationDate);
        Assert.Equal(2, again.Settings.NumberOfShards);
        Assert.Equal(Timeout.InfiniteTimeSpan, again.Settings.RefreshInterval);
        Assert.Equal(FieldType.Integer, again.Mapping.Find("year")!.Type);
        Assert.Equal(FieldType.Keyword, again.Mapping.Find("venue.keyword")!.Type); // dynamic, from the deleted p2
        Assert.Equal(1, again.Mapping.Meta!["v"]!.GetValue<int>());
        var p1 = again.Get("p1");
        Assert.True(JsonNode.DeepEquals(Json("""{"title": "BM25 at scale", "year": 2020}"""), p1.Source));
        Assert.Equal((1L, 0L), (p1.Version, p1.SeqNo));
        Assert.False(again.Get("p2").Found);
        Assert.Equal(3, again.Get("p3").SeqNo);
        Assert.Equal(2, again.DocumentCount);

        // seq_nos 0..3 were used (p1, p2, delete p2, p3): the next is 4 even though the highest live one is 3.
        Assert.Equal(4, again.Index("p4", Json("{}"), WriteOptions.Default).SeqNo);
    }

    [Fact]
    public void Reopen_AfterDeletingTheNewestDocument_SeqNoNeverReused()
    {
        using (var catalog = _context.OpenCatalog())
        {
            var index = catalog.CreateIndex("seq", null);
            index.Index("a", Json("{}"), WriteOptions.Default); // 0
            index.Index("b", Json("{}"), WriteOptions.Default); // 1
            index.Delete("b", WriteOptions.Default);            // 2
            index.Commit();
        }

        using var reopened = _context.OpenCatalog();

        // The only live document has seq_no 0; the commit remembers that 2 was used.
        Assert.Equal(3, reopened.GetIndex("seq").Index("c", Json("{}"), WriteOptions.Default).SeqNo);
    }

    [Fact]
    public void Reopen_VersionsOfLiveDocumentsContinue()
    {
        using (var catalog = _context.OpenCatalog())
        {
            var index = catalog.CreateIndex("v", null);
            index.Index("a", Json("""{"n": 1}"""), WriteOptions.Default);
            index.Index("a", Json("""{"n": 2}"""), WriteOptions.Default);
        }

        using var reopened = _context.OpenCatalog();
        var result = reopened.GetIndex("v").Index("a", Json("""{"n": 3}"""), WriteOptions.Default);

        Assert.Equal(new WriteResult("v", "a", 3, 2, 1, WriteOutcome.Updated), result);
    }

    [Fact]
    public void CreateIndex_Exists_ResourceAlreadyExistsWithTheRealUuid()
    {
        using var catalog = _context.OpenCatalog();
        var index = catalog.CreateIndex("logs", null);

        var error = Assert.Throws<EngineException>(() => catalog.CreateIndex("logs", null));

        Assert.Equal(400, error.Status);
        Assert.Equal("resource_already_exists_exception", error.Type);
        Assert.Equal($"index [logs/{index.Uuid}] already exists", error.Reason);
        Assert.Equal(index.Uuid, error.Extra!["index_uuid"]!.GetValue<string>());
    }

    [Fact]
    public void CreateIndex_Uuid_TwentyTwoUrlSafeCharactersAndDistinct()
    {
        using var catalog = _context.OpenCatalog();

        var a = catalog.CreateIndex("a", null).Uuid;
        var b = catalog.CreateIndex("b", null).Uuid;

        Assert.Matches("^[A-Za-z0-9_-]{22}$", a);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("""{"setting": {}}""", "parse_exception", "unknown key [setting] for create index")]
    [InlineData("""{"settings": 5}""", "parse_exception", "key [settings] must be an object")]
    [InlineData("""{"mappings": []}""", "parse_exception", "key [mappings] must be an object")]
    [InlineData("""{"aliases": {"all-logs": {"routing": "1"}}}""", "illegal_argument_exception", "alias [routing] is not supported by the embedded engine")]
    [InlineData(
        """{"settings": {"analysis": {"analyzer": {"a": {"type": "standard"}}}}}""",
        "illegal_argument_exception",
        "unknown setting [index.analysis.analyzer.a.type] please check that any required plugins are installed, or check the breaking changes documentation for removed settings")]
    public void CreateIndex_BadBody_RefusedAndNothingCreated(string body, string type, string reason)
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.CreateIndex("x", Json(body)));

        Assert.Equal(400, error.Status);
        Assert.Equal(type, error.Type);
        Assert.Equal(reason, error.Reason);
        Assert.Empty(catalog.Indices);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_context.DataDirectory, "indices")));
    }

    [Fact]
    public void CreateIndex_EmptyAliases_Accepted()
    {
        using var catalog = _context.OpenCatalog();

        var index = catalog.CreateIndex("x", Json("""{"aliases": {}, "settings": {}, "mappings": {}}"""));

        Assert.Equal("x", index.Name);
    }

    [Fact]
    public void CreateIndex_InvalidName_InvalidIndexName()
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.CreateIndex("Logs", null));

        Assert.Equal("invalid_index_name_exception", error.Type);
        Assert.Equal("Invalid index name [Logs], must be lowercase", error.Reason);
    }

    [Fact]
    public void CreateIndex_BadMapping_MapperParsingAndNothingCreated()
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.CreateIndex("x", Json("""{"mappings": {"properties": {"f": {"type": "no_such_type"}}}}""")));

        Assert.Equal("mapper_parsing_exception", error.Type);
        Assert.Empty(catalog.Indices);
    }

    [Fact]
    public void DeleteIndices_CommaList_DeletesBothAndTheirFolders()
    {
        using var catalog = _context.OpenCatalog();
        var a = catalog.CreateIndex("a", null);
        catalog.CreateIndex("b", null);
        catalog.CreateIndex("c", null);
        var folderOfA = a.Folder;

        var deleted = catalog.DeleteIndices("a,b");

        Assert.Equal(["a", "b"], deleted);
        Assert.Equal(["c"], catalog.Indices.Select(i => i.Name));
        Assert.False(Directory.Exists(folderOfA));
        var error = Assert.Throws<EngineException>(() => a.Index("1", Json("{}"), WriteOptions.Default));
        Assert.Equal("index_not_found_exception", error.Type);
    }

    [Fact]
    public void DeleteIndices_MissingConcreteName_NotFoundAndNothingDeleted()
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("a", null);

        var error = Assert.Throws<EngineException>(() => catalog.DeleteIndices("a,missing"));

        Assert.Equal(404, error.Status);
        Assert.Equal("no such index [missing]", error.Reason);
        Assert.Single(catalog.Indices);
    }

    [Theory]
    [InlineData("logs-*")]
    [InlineData("*")]
    [InlineData("_all")]
    [InlineData("a,b*")]
    public void DeleteIndices_WildcardWhileDestructiveRequiresName_Refused(string expression)
    {
        using var catalog = _context.OpenCatalog();
        catalog.CreateIndex("logs-1", null);

        var error = Assert.Throws<EngineException>(() => catalog.DeleteIndices(expression));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal("Wildcard expressions or all indices are not allowed", error.Reason);
        Assert.Single(catalog.Indices);
    }

    [Fact]
    public void DeleteIndices_WildcardAllowed_DeletesMatches()
    {
        using var catalog = _context.OpenCatalog(new EngineOptions { DestructiveRequiresName = false });
        catalog.CreateIndex("logs-1", null);
        catalog.CreateIndex("logs-2", null);
        catalog.CreateIndex("metrics", null);

        var deleted = catalog.DeleteIndices("logs-*,nothing-*");

        Assert.Equal(["logs-1", "logs-2"], deleted);
        Assert.Equal(["metrics"], catalog.Indices.Select(i => i.Name));
    }

    [Fact]
    public void DeleteIndices_ThenCreateSameName_FreshIndex()
    {
        using var catalog = _context.OpenCatalog();
        var old = catalog.CreateIndex("a", null);
        old.Index("1", Json("{}"), WriteOptions.Default);
        var oldUuid = old.Uuid;
        catalog.DeleteIndices("a");

        var fresh = catalog.CreateIndex("a", null);

        Assert.NotEqual(oldUuid, fresh.Uuid);
        Assert.False(fresh.Get("1").Found);
        Assert.Equal(0, fresh.Index("1", Json("{}"), WriteOptions.Default).SeqNo);
    }

    [Theory]
    [InlineData("logs-*", new[] { "logs-1", "logs-2" })]
    [InlineData("metrics,logs-1", new[] { "metrics", "logs-1" })]
    [InlineData("*", new[] { "logs-1", "logs-2", "metrics" })]
    [InlineData("_all", new[] { "logs-1", "logs-2", "metrics" })]
    [InlineData("", new[] { "logs-1", "logs-2", "metrics" })]
    [InlineData("logs-*,-logs-2", new[] { "logs-1" })]
    [InlineData("*,-logs-*", new[] { "metrics" })]
    [InlineData("logs-1,logs-*", new[] { "logs-1", "logs-2" })]
    [InlineData("logs-1,logs-1", new[] { "logs-1" })]
    [InlineData("nothing-*", new string[0])]
    [InlineData("*s", new[] { "metrics" })]
    public void Resolve_Expression_IndicesInOrderOfMention(string expression, string[] expected)
    {
        using var catalog = CatalogWithThreeIndices();

        var resolved = catalog.Resolve(expression);

        Assert.Equal(expected, resolved.Select(i => i.Name));
    }

    [Theory]
    [InlineData("missing", false, true, "missing")]
    [InlineData("logs-1,missing", false, true, "missing")]
    [InlineData("-logs-1", false, true, "-logs-1")] // no wildcard before it: a name, not an exclusion
    [InlineData("nothing-*", false, false, "nothing-*")]
    [InlineData("missing", true, false, "missing")]
    public void Resolve_Unavailable_IndexNotFound(string expression, bool ignoreUnavailable, bool allowNoIndices, string named)
    {
        using var catalog = CatalogWithThreeIndices();

        var error = Assert.Throws<EngineException>(() => catalog.Resolve(expression, ignoreUnavailable, allowNoIndices));

        Assert.Equal(404, error.Status);
        Assert.Equal("index_not_found_exception", error.Type);
        Assert.Equal($"no such index [{named}]", error.Reason);
    }

    [Fact]
    public void Resolve_MissingIgnored_SkipsIt()
    {
        using var catalog = CatalogWithThreeIndices();

        var resolved = catalog.Resolve("missing,metrics", ignoreUnavailable: true);

        Assert.Equal(["metrics"], resolved.Select(i => i.Name));
    }

    [Fact]
    public void GetIndex_Missing_IndexNotFound()
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.GetIndex("nope"));

        Assert.Equal("no such index [nope]", error.Reason);
        Assert.False(catalog.TryGetIndex("nope", out _));
    }

    [Fact]
    public void GetOrCreateForWrite_Missing_CreatedWithDefaultsAndEmptyDynamicMapping()
    {
        using var catalog = _context.OpenCatalog();

        var index = catalog.GetOrCreateForWrite("auto");

        Assert.Same(index, catalog.GetIndex("auto"));
        Assert.Equal(1, index.Settings.NumberOfShards);
        Assert.Null(index.Settings.RefreshInterval);
        Assert.Empty(index.Mapping.Properties);
        Assert.Equal(DynamicMode.True, index.Mapping.Dynamic);
        Assert.Same(index, catalog.GetOrCreateForWrite("auto"));
    }

    [Fact]
    public async Task GetOrCreateForWrite_ConcurrentFirstWrites_OneIndex()
    {
        using var catalog = _context.OpenCatalog();
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            var index = catalog.GetOrCreateForWrite("race");
            index.Index($"d{i}", Json("{}"), WriteOptions.Default);
            return index;
        }, TestContext.Current.CancellationToken)).ToList();
        start.Set();
        var indices = await Task.WhenAll(tasks);

        Assert.Single(indices.Distinct());
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(_context.DataDirectory, "indices")));
        Assert.All(Enumerable.Range(0, 16), i => Assert.True(indices[0].Get($"d{i}").Found));
    }

    [Fact]
    public void GetOrCreateForWrite_AutoCreateOff_IndexNotFoundNamingTheSetting()
    {
        using var catalog = _context.OpenCatalog(new EngineOptions { AutoCreateIndex = false });

        var error = Assert.Throws<EngineException>(() => catalog.GetOrCreateForWrite("auto"));

        Assert.Equal(404, error.Status);
        Assert.Equal("index_not_found_exception", error.Type);
        Assert.Equal("no such index [auto] and [action.auto_create_index] is [false]", error.Reason);
    }

    [Fact]
    public void GetOrCreateForWrite_InvalidName_InvalidIndexName()
    {
        using var catalog = _context.OpenCatalog();

        var error = Assert.Throws<EngineException>(() => catalog.GetOrCreateForWrite("_bad"));

        Assert.Equal("Invalid index name [_bad], must not start with '_', '-', or '+'", error.Reason);
    }

    [Fact]
    public void Constructor_DataDirectoryAlreadyOpen_Refused()
    {
        using var catalog = _context.OpenCatalog();

        Assert.Throws<IOException>(() => _context.OpenCatalog());
    }

    [Fact]
    public void Constructor_LeftoversOfUnfinishedCreateAndDelete_Removed()
    {
        using (var catalog = _context.OpenCatalog())
        {
            catalog.CreateIndex("kept", null);
        }

        var indices = Path.Combine(_context.DataDirectory, "indices");
        var unfinishedCreate = Directory.CreateDirectory(Path.Combine(indices, "AAAAAAAAAAAAAAAAAAAAAA")).FullName;
        var unfinishedDelete = Directory.CreateDirectory(Path.Combine(indices, "BBBBBBBBBBBBBBBBBBBBBB.deleting", "lucene")).Parent!.FullName;
        var foreign = Directory.CreateDirectory(Path.Combine(indices, "notes")).FullName;

        using var reopened = _context.OpenCatalog();

        Assert.Equal(["kept"], reopened.Indices.Select(i => i.Name));
        Assert.False(Directory.Exists(unfinishedCreate));
        Assert.False(Directory.Exists(unfinishedDelete));
        Assert.True(Directory.Exists(foreign));
    }

    [Fact]
    public void Constructor_CorruptMetadata_InvalidData()
    {
        string folder;
        using (var catalog = _context.OpenCatalog())
        {
            folder = catalog.CreateIndex("broken", null).Folder;
        }

        File.WriteAllText(Path.Combine(folder, "meta.json"), "{\"format\": 1, \"name\": ");

        Assert.Throws<InvalidDataException>(() => _context.OpenCatalog());

        // The failed open released the data directory.
        Directory.Delete(folder, recursive: true);
        using var after = _context.OpenCatalog();
        Assert.Empty(after.Indices);
    }

    private IndexCatalog CatalogWithThreeIndices()
    {
        var catalog = _context.OpenCatalog();
        catalog.CreateIndex("metrics", null);
        catalog.CreateIndex("logs-2", null);
        catalog.CreateIndex("logs-1", null);
        return catalog;
    }
}
