using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Rerank.LuceneBaseline.Engine.Store;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary>Store failures that have no caller to report to are logged with their event ids.</summary>
public sealed class StoreLogTests : IDisposable
{
    private readonly StoreTestContext _context = new();
    private readonly FakeLogCollector _logs = new();
    private readonly LoggerFactory _loggerFactory;

    public StoreLogTests()
    {
        _loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)]);
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _context.Dispose();
    }

    [Fact]
    public void RefreshTimer_RefreshFails_LoggedWithTheIndexName()
    {
        using var catalog = new IndexCatalog(_context.DataDirectory, new EngineOptions(), _context.Time, new StoreDiagnostics(_loggerFactory, null));
        var index = catalog.CreateIndex("books", null);
        index.Index("1", Json("""{"title": "one"}"""), WriteOptions.Default);

        // A directory where the refresh must write the first segment's compound file: the flush fails (EISDIR, which .NET
        // reports as UnauthorizedAccessException; before the fix that escaped the timer thread and ended the process).
        var blocker = Path.Combine(index.Folder, EngineIndex.LuceneFolderName, "_0.cfs");
        Directory.CreateDirectory(blocker);
        _context.Time.Advance(TimeSpan.FromSeconds(1)); // the 1 s refresh schedule fires on this thread

        var log = Assert.Single(_logs.GetSnapshot(), log => log.Id.Id == 2101);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("Scheduled refresh of index [books] failed; searches keep the last refreshed view", log.Message);
        Assert.IsType<UnauthorizedAccessException>(log.Exception);
        Directory.Delete(blocker);
    }

    [Fact]
    public void Commit_Fails_LoggedAndThrownToTheWriter()
    {
        using var catalog = new IndexCatalog(_context.DataDirectory, new EngineOptions(), _context.Time, new StoreDiagnostics(_loggerFactory, null));
        var index = catalog.CreateIndex("books", Json("""{"settings": {"index.refresh_interval": "-1"}}"""));
        index.Index("1", Json("""{"title": "one"}"""), WriteOptions.Default);
        var blocker = Path.Combine(index.Folder, EngineIndex.LuceneFolderName, "_0.cfs");
        Directory.CreateDirectory(blocker);

        var thrown = Assert.Throws<UnauthorizedAccessException>(index.Commit);

        var log = Assert.Single(_logs.GetSnapshot(), log => log.Id.Id == 2102);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("Commit of index [books] failed; the writes it should have made durable are not acknowledged", log.Message);
        Assert.Same(thrown, log.Exception);
        Directory.Delete(blocker);
    }
}
