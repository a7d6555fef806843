using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Engine.Tests.Http;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary>
/// An index delete is durable once acknowledged: a failed rename of its folder never brings the index back after a
/// restart, and a delete that cannot be made durable fails with the index still usable. Failures are forced with real
/// file-system conditions (an occupied rename target, a directory where the marker file goes), which fail as root too.
/// </summary>
public sealed class IndexDeleteDurabilityTests : IDisposable
{
    private readonly StoreTestContext _context = new();
    private readonly FakeLogCollector _logs = new();
    private readonly LoggerFactory _loggerFactory;

    public IndexDeleteDurabilityTests()
    {
        _loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)]);
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _context.Dispose();
    }

    [Fact]
    public void DeleteIndices_RenameFails_AcknowledgedAndStillGoneAfterRestart()
    {
        string folder;
        using (var catalog = OpenCatalog())
        {
            var index = catalog.CreateIndex("books", Json("""{"settings": {"index.refresh_interval": "-1"}}"""));
            index.Index("1", Json("""{"title": "kept until deleted"}"""), WriteOptions.Default);
            index.Commit();
            folder = index.Folder;

            // Directory.Move refuses an existing target, so the rename that is the delete fails.
            Directory.CreateDirectory(folder + IndexCatalog.DeletingSuffix);
            File.WriteAllText(Path.Combine(folder + IndexCatalog.DeletingSuffix, "occupied"), "x");

            Assert.Equal(["books"], catalog.DeleteIndices("books"));
            Assert.False(catalog.TryGetIndex("books", out _));
            Assert.True(Directory.Exists(folder)); // the rename really failed
            Assert.Contains(_logs.GetSnapshot(), log => log.Id.Id == 2123 && log.Level == LogLevel.Warning);
        }

        using (var restarted = OpenCatalog())
        {
            Assert.False(restarted.TryGetIndex("books", out _));
            Assert.Empty(restarted.Indices);
            Assert.False(Directory.Exists(folder));
            Assert.False(Directory.Exists(folder + IndexCatalog.DeletingSuffix));
            Assert.Contains(_logs.GetSnapshot(), log => log.Id.Id == 2124 && log.Message.Contains(folder, StringComparison.Ordinal));

            // The name is free again, for a new index with its own uuid.
            var created = restarted.CreateIndex("books", null);
            Assert.Equal(0, created.DocumentCount);
        }
    }

    [Fact]
    public void Open_FolderMarkedForDeletion_NeverReopensTheIndex()
    {
        string folder;
        using (var catalog = OpenCatalog())
        {
            var index = catalog.CreateIndex("books", null);
            index.Index("1", Json("""{"title": "a"}"""), WriteOptions.Default);
            index.Commit();
            folder = index.Folder;
        }

        // What a process killed between writing the marker and renaming the folder leaves behind.
        File.WriteAllText(Path.Combine(folder, IndexCatalog.DeleteMarkerFileName), "books");

        using var restarted = OpenCatalog();
        Assert.False(restarted.TryGetIndex("books", out _));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void DeleteIndices_MarkerCannotBeWritten_FailsAndIndexStaysUsable()
    {
        string folder;
        using (var catalog = OpenCatalog())
        {
            var index = catalog.CreateIndex("books", Json("""{"settings": {"index.refresh_interval": "-1"}}"""));
            index.Index("1", Json("""{"title": "first"}"""), WriteOptions.Default);
            index.Commit();
            folder = index.Folder;
            var marker = Path.Combine(folder, IndexCatalog.DeleteMarkerFileName);
            Directory.CreateDirectory(marker); // a directory where the marker file must go: the write fails

            var error = Assert.Throws<EngineException>(() => catalog.DeleteIndices("books"));

            Assert.Equal(500, error.Status);
            Assert.Equal("i_o_exception", error.Type);
            Assert.StartsWith("failed to delete index [books]: cannot write [" + marker + "]", error.Reason, StringComparison.Ordinal);
            Assert.Contains(_logs.GetSnapshot(), log => log.Id.Id == 2121 && log.Level == LogLevel.Error);
            Assert.Same(index, catalog.GetIndex("books"));
            index.Index("2", Json("""{"title": "second"}"""), WriteOptions.Default);
            index.Commit();
            index.Refresh();
            Assert.Equal(2, index.DocumentCount);
            Directory.Delete(marker);
        }

        using var restarted = OpenCatalog();
        var again = restarted.GetIndex("books");
        Assert.Equal(2, again.DocumentCount);
        Assert.True(again.Get("2").Found);
    }

    [Fact]
    public void DeleteIndices_SecondMarkerFails_NeitherIndexDeletedNowOrAfterRestart()
    {
        using (var catalog = OpenCatalog())
        {
            catalog.CreateIndex("a", null);
            var b = catalog.CreateIndex("b", null);
            Directory.CreateDirectory(Path.Combine(b.Folder, IndexCatalog.DeleteMarkerFileName));

            Assert.Throws<EngineException>(() => catalog.DeleteIndices("a,b"));

            Assert.Equal(["a", "b"], catalog.Indices.Select(index => index.Name));
            Assert.False(File.Exists(Path.Combine(catalog.GetIndex("a").Folder, IndexCatalog.DeleteMarkerFileName)));
            Directory.Delete(Path.Combine(b.Folder, IndexCatalog.DeleteMarkerFileName));
        }

        using var restarted = OpenCatalog();
        Assert.Equal(["a", "b"], restarted.Indices.Select(index => index.Name));
    }

    [Fact]
    public async Task DeleteIndexOverHttp_MarkerCannotBeWritten_ElasticsearchShaped500AndIndexStillServed()
    {
        await using var server = await EngineServer.StartAsync();
        Assert.Equal(200, (await server.PutAsync("/books")).StatusCode);
        var marker = Path.Combine(server.Host.Catalog.GetIndex("books").Folder, IndexCatalog.DeleteMarkerFileName);
        Directory.CreateDirectory(marker);

        var response = await server.DeleteAsync("/books");

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("i_o_exception", response.Json["error"]!["type"]!.GetValue<string>());
        Assert.Equal("i_o_exception", response.Json["error"]!["root_cause"]![0]!["type"]!.GetValue<string>());
        Assert.StartsWith("failed to delete index [books]: cannot write [", response.Json["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(500, response.Json["status"]!.GetValue<int>());
        Assert.Equal(201, (await server.PutAsync("/books/_doc/1?refresh=true", """{"title": "still here"}""")).StatusCode);
        Assert.Equal(1, (await server.GetAsync("/books/_count")).Json["count"]!.GetValue<int>());
        Directory.Delete(marker);
    }

    private IndexCatalog OpenCatalog() =>
        new(_context.DataDirectory, new EngineOptions(), _context.Time, new StoreDiagnostics(_loggerFactory, null));
}
