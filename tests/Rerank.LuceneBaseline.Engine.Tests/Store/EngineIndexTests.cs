using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.LuceneBaseline.Scoring;
using static Rerank.LuceneBaseline.Engine.Tests.Store.StoreTestContext;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class EngineIndexTests : IDisposable
{
    private readonly StoreTestContext _context = new();
    private readonly IndexCatalog _catalog;
    private readonly EngineIndex _index;

    public EngineIndexTests()
    {
        _catalog = _context.OpenCatalog();
        _index = _catalog.CreateIndex("docs", null);
    }

    public void Dispose()
    {
        _catalog.Dispose();
        _context.Dispose();
    }

    [Fact]
    public void Index_SequenceOfWrites_VersionsPerIdAndSeqNosPerIndex()
    {
        var first = _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        var second = _index.Index("1", Json("""{"n": 2}"""), WriteOptions.Default);
        var other = _index.Index("2", Json("""{"n": 3}"""), WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", Version: 1, SeqNo: 0, PrimaryTerm: 1, WriteOutcome.Created), first);
        Assert.Equal(new WriteResult("docs", "1", Version: 2, SeqNo: 1, PrimaryTerm: 1, WriteOutcome.Updated), second);
        Assert.Equal(new WriteResult("docs", "2", Version: 1, SeqNo: 2, PrimaryTerm: 1, WriteOutcome.Created), other);
    }

    [Fact]
    public void Index_NullId_GeneratesTwentyCharacterIdAsCreate()
    {
        var result = _index.Index(null, Json("""{"n": 1}"""), WriteOptions.Default);

        Assert.Matches("^[A-Za-z0-9_-]{20}$", result.Id);
        Assert.Equal(WriteOutcome.Created, result.Result);
        Assert.Equal(1, result.Version);
        Assert.True(_index.Get(result.Id).Found);
    }

    [Fact]
    public void Get_BeforeAnyRefresh_SeesLatestWriteWhileSearchDoesNot()
    {
        _index.Index("1", Json("""{"title": "first"}"""), WriteOptions.Default);
        _index.Index("1", Json("""{"title": "second"}"""), WriteOptions.Default);

        var got = _index.Get("1");

        Assert.True(got.Found);
        Assert.Equal(2, got.Version);
        Assert.Equal(1, got.SeqNo);
        Assert.Equal(1, got.PrimaryTerm);
        Assert.True(JsonNode.DeepEquals(Json("""{"title": "second"}"""), got.Source));
        Assert.Equal(0, _index.DocumentCount);
        Assert.True(_index.PendingSourceBytes > 0);
    }

    [Fact]
    public void Get_AfterRefreshDroppedTheKeptSource_ReadsLucene()
    {
        _index.Index("1", Json("""{"title": "kept", "n": [1, 2]}"""), WriteOptions.Default);
        _index.Refresh();
        Assert.Equal(0, _index.PendingSourceBytes);

        var got = _index.Get("1");

        Assert.True(JsonNode.DeepEquals(Json("""{"title": "kept", "n": [1, 2]}"""), got.Source));
        Assert.Equal(1, got.Version);
    }

    [Fact]
    public void Get_SourcesOverTheLimit_GetReaderReopenedButSearchStillBlind()
    {
        _catalog.Dispose();
        using var catalog = _context.OpenCatalog(new EngineOptions { PendingSourceLimitBytes = 1, DefaultRefreshInterval = Timeout.InfiniteTimeSpan });
        var index = catalog.GetIndex("docs");

        index.Index("1", Json("""{"v": "one"}"""), WriteOptions.Default);
        index.Index("1", Json("""{"v": "two"}"""), WriteOptions.Default);
        index.Index("2", Json("""{"v": "three"}"""), WriteOptions.Default);

        // Every write passed the 1-byte limit, so the sources were dropped and Get reads the get reader.
        Assert.Equal(0, index.PendingSourceBytes);
        Assert.True(JsonNode.DeepEquals(Json("""{"v": "two"}"""), index.Get("1").Source));
        Assert.True(JsonNode.DeepEquals(Json("""{"v": "three"}"""), index.Get("2").Source));
        Assert.Equal(0, index.DocumentCount);
    }

    [Fact]
    public void Get_Missing_NotFound()
    {
        var got = _index.Get("nope");

        Assert.False(got.Found);
        Assert.Null(got.Source);
    }

    [Fact]
    public void Refresh_Explicit_MakesWritesVisibleToSearch()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Index("2", Json("""{"n": 2}"""), WriteOptions.Default);
        Assert.Equal(0, _index.DocumentCount);

        _index.Refresh();

        Assert.Equal(2, _index.DocumentCount);
    }

    [Fact]
    public void Refresh_Scheduled_EverySecondByDefault()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        _context.Time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _index.DocumentCount);
        _context.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _index.DocumentCount);
    }

    [Fact]
    public void Refresh_IntervalMinusOne_NoScheduledRefresh()
    {
        var index = _catalog.CreateIndex("manual", Json("""{"settings": {"index": {"refresh_interval": "-1"}}}"""));
        index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        _context.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, index.DocumentCount);
        index.Refresh();
        Assert.Equal(1, index.DocumentCount);
    }

    [Fact]
    public void Refresh_IntervalFromSettings_Used()
    {
        var index = _catalog.CreateIndex("slow", Json("""{"settings": {"refresh_interval": "5s"}}"""));
        index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        _context.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, index.DocumentCount);
        _context.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, index.DocumentCount);
    }

    [Fact]
    public async Task WaitForRefreshAsync_CompletesOnTheRefreshThatCoversTheWrite()
    {
        var write = _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        var wait = _index.WaitForRefreshAsync(write.SeqNo, TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);
        _context.Time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, _index.DocumentCount);
        Assert.True(_index.WaitForRefreshAsync(write.SeqNo, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public async Task WaitForRefreshAsync_ThousandListenersWaiting_NextOneForcesARefresh()
    {
        var index = _catalog.CreateIndex("manual", Json("""{"settings": {"refresh_interval": "-1"}}"""));
        var write = index.Index("1", Json("{}"), WriteOptions.Default);
        var waiting = Enumerable.Range(0, 1000).Select(_ => index.WaitForRefreshAsync(write.SeqNo, TestContext.Current.CancellationToken)).ToList();
        Assert.DoesNotContain(waiting, task => task.IsCompleted);

        // Elasticsearch's index.max_refresh_listeners (1,000): one more forces a refresh.
        var forced = index.WaitForRefreshAsync(write.SeqNo, TestContext.Current.CancellationToken);

        Assert.True(forced.IsCompleted);
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, index.DocumentCount);
    }

    [Fact]
    public void Index_OpTypeCreateOnExistingId_VersionConflictAsElasticsearch()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        var error = Assert.Throws<EngineException>(() => _index.Index("1", Json("""{"n": 2}"""), new WriteOptions { OpType = OpType.Create }));

        Assert.Equal(409, error.Status);
        Assert.Equal("version_conflict_engine_exception", error.Type);
        Assert.Equal("[1]: version conflict, document already exists (current version [1])", error.Reason);
        Assert.Equal("docs", error.Index);
        Assert.Equal(_index.Uuid, error.Extra!["index_uuid"]!.GetValue<string>());
        Assert.Equal("0", error.Extra["shard"]!.GetValue<string>());
        Assert.Equal(1, _index.Get("1").Version);
    }

    [Fact]
    public void Index_OpTypeCreateAfterDelete_CreatedContinuingTheVersion()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Delete("1", WriteOptions.Default);

        var created = _index.Index("1", Json("""{"n": 2}"""), new WriteOptions { OpType = OpType.Create });

        // version 1 (index), 2 (delete), 3 (create while the tombstone is kept); seq_nos 0, 1, 2.
        Assert.Equal(new WriteResult("docs", "1", 3, 2, 1, WriteOutcome.Created), created);
        _index.Refresh();
        Assert.Equal(1, _index.DocumentCount);
        Assert.True(JsonNode.DeepEquals(Json("""{"n": 2}"""), _index.Get("1").Source));
    }

    [Fact]
    public void Index_AfterTombstoneExpired_VersionStartsAgain()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Delete("1", WriteOptions.Default);

        _context.Time.Advance(TimeSpan.FromSeconds(61));
        var again = _index.Index("1", Json("""{"n": 2}"""), WriteOptions.Default);

        Assert.Equal(1, again.Version);
        Assert.Equal(2, again.SeqNo);
    }

    [Fact]
    public void Index_IfSeqNoMatches_Updated()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Index("2", Json("""{"n": 1}"""), WriteOptions.Default);

        var result = _index.Index("1", Json("""{"n": 2}"""), new WriteOptions { IfSeqNo = 0, IfPrimaryTerm = 1 });

        Assert.Equal(new WriteResult("docs", "1", 2, 2, 1, WriteOutcome.Updated), result);
    }

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(0L, 2L)]
    public void Index_IfSeqNoOrTermMismatch_VersionConflictNamingBoth(long ifSeqNo, long ifPrimaryTerm)
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        var error = Assert.Throws<EngineException>(() =>
            _index.Index("1", Json("""{"n": 2}"""), new WriteOptions { IfSeqNo = ifSeqNo, IfPrimaryTerm = ifPrimaryTerm }));

        Assert.Equal(409, error.Status);
        Assert.Equal(
            $"[1]: version conflict, required seqNo [{ifSeqNo}], primary term [{ifPrimaryTerm}]. current document has seqNo [0] and primary term [1]",
            error.Reason);
    }

    [Fact]
    public void Index_IfSeqNoOnMissingOrDeletedDocument_VersionConflictNoDocument()
    {
        var missing = Assert.Throws<EngineException>(() =>
            _index.Index("1", Json("""{"n": 1}"""), new WriteOptions { IfSeqNo = 0, IfPrimaryTerm = 1 }));
        _index.Index("2", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Delete("2", WriteOptions.Default);
        var deleted = Assert.Throws<EngineException>(() =>
            _index.Index("2", Json("""{"n": 1}"""), new WriteOptions { IfSeqNo = 1, IfPrimaryTerm = 1 }));

        Assert.Equal("[1]: version conflict, required seqNo [0], primary term [1]. but no document was found", missing.Reason);
        Assert.Equal("[2]: version conflict, required seqNo [1], primary term [1]. but no document was found", deleted.Reason);
    }

    [Theory]
    [InlineData(nameof(OpType.Create), 0L, 1L, "Validation Failed: 1: create operations do not support compare and set. use index instead;")]
    [InlineData(nameof(OpType.Index), 0L, null, "Validation Failed: 1: ifSeqNo is set, but primary term is [0];")]
    [InlineData(nameof(OpType.Index), null, 3L, "Validation Failed: 1: ifSeqNo is unassigned, but primary term is [3];")]
    public void Index_BadConcurrencyOptions_ValidationFailed(string opType, long? ifSeqNo, long? ifPrimaryTerm, string reason)
    {
        var error = Assert.Throws<EngineException>(() =>
            _index.Index("1", Json("{}"), new WriteOptions { OpType = Enum.Parse<OpType>(opType), IfSeqNo = ifSeqNo, IfPrimaryTerm = ifPrimaryTerm }));

        Assert.Equal(400, error.Status);
        Assert.Equal("action_request_validation_exception", error.Type);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Index_IdOver512Bytes_ValidationFailed()
    {
        var id = new string('x', 513);

        var error = Assert.Throws<EngineException>(() => _index.Index(id, Json("{}"), WriteOptions.Default));

        Assert.Equal($"Validation Failed: 1: id [{id}] is too long, must be no longer than 512 bytes but was: 513;", error.Reason);
    }

    [Fact]
    public void Index_EmptyId_IllegalArgument()
    {
        var error = Assert.Throws<EngineException>(() => _index.Index("", Json("{}"), WriteOptions.Default));

        Assert.Equal("illegal_argument_exception", error.Type);
        Assert.Equal("if _id is specified it must not be empty", error.Reason);
    }

    [Fact]
    public void Delete_Existing_DeletedThenNotFoundWithVersionsContinuing()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        var deleted = _index.Delete("1", WriteOptions.Default);
        var again = _index.Delete("1", WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", 2, 1, 1, WriteOutcome.Deleted), deleted);
        Assert.Equal(new WriteResult("docs", "1", 3, 2, 1, WriteOutcome.NotFound), again);
        Assert.False(_index.Get("1").Found);
    }

    [Fact]
    public void Delete_NeverExisted_NotFoundVersion1ConsumingASeqNo()
    {
        var result = _index.Delete("ghost", WriteOptions.Default);
        var next = _index.Index("real", Json("{}"), WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "ghost", 1, 0, 1, WriteOutcome.NotFound), result);
        Assert.Equal(1, next.SeqNo);
    }

    [Fact]
    public void Delete_IfSeqNoMismatch_VersionConflictAndDocumentKept()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);

        var error = Assert.Throws<EngineException>(() => _index.Delete("1", new WriteOptions { IfSeqNo = 5, IfPrimaryTerm = 1 }));

        Assert.Equal("[1]: version conflict, required seqNo [5], primary term [1]. current document has seqNo [0] and primary term [1]", error.Reason);
        Assert.True(_index.Get("1").Found);
    }

    [Fact]
    public void Delete_RemovesFromSearchAfterRefresh()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Index("2", Json("""{"n": 2}"""), WriteOptions.Default);
        _index.Refresh();

        _index.Delete("1", WriteOptions.Default);
        Assert.Equal(2, _index.DocumentCount);
        _index.Refresh();

        Assert.Equal(1, _index.DocumentCount);
        Assert.Equal(1, _index.DeletedDocumentCount);
    }

    [Fact]
    public void Update_PartialDoc_MergedRecursively()
    {
        _index.Index("1", Json("""{"a": 1, "o": {"x": 1}, "keep": "yes"}"""), WriteOptions.Default);

        var result = _index.Update("1", new UpdateRequest { Doc = Json("""{"o": {"y": 2}, "a": 5}""") }, WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", 2, 1, 1, WriteOutcome.Updated), result);
        Assert.True(JsonNode.DeepEquals(Json("""{"a": 5, "o": {"x": 1, "y": 2}, "keep": "yes"}"""), _index.Get("1").Source));
    }

    [Fact]
    public void Update_NothingChanges_NoopWithoutNewVersionOrSeqNo()
    {
        _index.Index("1", Json("""{"a": 1, "b": "two"}"""), WriteOptions.Default);

        var noop = _index.Update("1", new UpdateRequest { Doc = Json("""{"b": "two"}""") }, WriteOptions.Default);
        var next = _index.Index("2", Json("{}"), WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", 1, 0, 1, WriteOutcome.Noop), noop);
        Assert.Equal(1, next.SeqNo);
    }

    [Fact]
    public void Update_NothingChangesDetectNoopOff_Updated()
    {
        _index.Index("1", Json("""{"a": 1}"""), WriteOptions.Default);

        var result = _index.Update("1", new UpdateRequest { Doc = Json("""{"a": 1}"""), DetectNoop = false }, WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", 2, 1, 1, WriteOutcome.Updated), result);
    }

    [Fact]
    public void Update_Missing_DocumentMissing()
    {
        var error = Assert.Throws<EngineException>(() => _index.Update("1", new UpdateRequest { Doc = Json("""{"a": 1}""") }, WriteOptions.Default));

        Assert.Equal(404, error.Status);
        Assert.Equal("document_missing_exception", error.Type);
        Assert.Equal("[1]: document missing", error.Reason);
        Assert.Equal("docs", error.Index);
        Assert.Equal(_index.Uuid, error.Extra!["index_uuid"]!.GetValue<string>());
    }

    [Fact]
    public void Update_MissingWithUpsert_CreatedFromUpsert()
    {
        var result = _index.Update("1", new UpdateRequest { Doc = Json("""{"a": 1}"""), Upsert = Json("""{"a": 0, "b": 0}""") }, WriteOptions.Default);

        Assert.Equal(new WriteResult("docs", "1", 1, 0, 1, WriteOutcome.Created), result);
        Assert.True(JsonNode.DeepEquals(Json("""{"a": 0, "b": 0}"""), _index.Get("1").Source));
    }

    [Fact]
    public void Update_MissingDocAsUpsert_CreatedFromDoc()
    {
        var result = _index.Update("1", new UpdateRequest { Doc = Json("""{"a": 1}"""), DocAsUpsert = true }, WriteOptions.Default);

        Assert.Equal(WriteOutcome.Created, result.Result);
        Assert.True(JsonNode.DeepEquals(Json("""{"a": 1}"""), _index.Get("1").Source));
    }

    [Fact]
    public void Update_ExistingDocAsUpsert_Merged()
    {
        _index.Index("1", Json("""{"a": 1}"""), WriteOptions.Default);

        var result = _index.Update("1", new UpdateRequest { Doc = Json("""{"b": 2}"""), DocAsUpsert = true }, WriteOptions.Default);

        Assert.Equal(WriteOutcome.Updated, result.Result);
        Assert.True(JsonNode.DeepEquals(Json("""{"a": 1, "b": 2}"""), _index.Get("1").Source));
    }

    [Fact]
    public void Update_IfSeqNoMismatch_VersionConflict()
    {
        _index.Index("1", Json("""{"a": 1}"""), WriteOptions.Default);

        var error = Assert.Throws<EngineException>(() =>
            _index.Update("1", new UpdateRequest { Doc = Json("""{"a": 2}""") }, new WriteOptions { IfSeqNo = 3, IfPrimaryTerm = 1 }));

        Assert.Equal("[1]: version conflict, required seqNo [3], primary term [1]. current document has seqNo [0] and primary term [1]", error.Reason);
    }

    [Fact]
    public void Update_Invalid_AllValidationErrorsNumbered()
    {
        var error = Assert.Throws<EngineException>(() =>
            _index.Update("1", new UpdateRequest { DocAsUpsert = true }, new WriteOptions { IfSeqNo = 1, IfPrimaryTerm = 1 }));

        Assert.Equal(
            "Validation Failed: 1: compare and write operations can not be used with upsert;2: script or doc is missing;3: doc must be specified if doc_as_upsert is enabled;",
            error.Reason);
    }

    [Fact]
    public void Index_NewField_DynamicMappingPersistedBeforeAcknowledgement()
    {
        _index.Index("1", Json("""{"title": "hello world", "count": 3}"""), WriteOptions.Default);

        Assert.Equal(Rerank.LuceneBaseline.Engine.Mapping.FieldType.Text, _index.Mapping.Find("title")!.Type);
        Assert.Equal(Rerank.LuceneBaseline.Engine.Mapping.FieldType.Long, _index.Mapping.Find("count")!.Type);

        // Without any commit or close, meta.json on disk already has the new fields.
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(_index.Folder, "meta.json")))!;
        Assert.Equal("text", meta["mappings"]!["properties"]!["title"]!["type"]!.GetValue<string>());
        Assert.Equal("long", meta["mappings"]!["properties"]!["count"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void PutMapping_NewField_AddedAndPersisted()
    {
        var mapping = _index.PutMapping(Json("""{"properties": {"tag": {"type": "keyword"}}, "_meta": {"owner": "me"}}"""));

        Assert.Equal(Rerank.LuceneBaseline.Engine.Mapping.FieldType.Keyword, mapping.Find("tag")!.Type);
        Assert.Same(mapping, _index.Mapping);
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(_index.Folder, "meta.json")))!;
        Assert.Equal("keyword", meta["mappings"]!["properties"]!["tag"]!["type"]!.GetValue<string>());
        Assert.Equal("me", meta["mappings"]!["_meta"]!["owner"]!.GetValue<string>());
    }

    [Fact]
    public void AcquireSearcher_Target_Bm25AndIndexSettings()
    {
        var index = _catalog.CreateIndex("small-window", Json("""{"settings": {"max_result_window": 25}}"""));
        index.Index("1", Json("""{"title": "hello"}"""), WriteOptions.Default);
        index.Refresh();

        using var lease = index.AcquireSearcher();

        Assert.Equal("small-window", lease.Target.IndexName);
        Assert.Equal(25, lease.Target.MaxResultWindow);
        var similarity = Assert.IsType<ElasticsearchBm25Similarity>(Assert.IsType<PerFieldSimilarity>(lease.Target.Searcher.Similarity).Get("title"));
        Assert.Equal(1.2f, similarity.K1);
        Assert.Equal(0.75f, similarity.B);
        Assert.True(similarity.DiscountOverlaps);
        Assert.Equal(1, lease.Target.Searcher.IndexReader.NumDocs);
        Assert.NotNull(lease.Target.Mapping.Find("title"));
    }

    [Fact]
    public void AcquireSearcher_PointInTime_LaterWritesInvisibleUntilNextLease()
    {
        _index.Index("1", Json("{}"), WriteOptions.Default);
        _index.Refresh();
        using var lease = _index.AcquireSearcher();

        _index.Index("2", Json("{}"), WriteOptions.Default);
        _index.Refresh();

        Assert.Equal(1, lease.Target.Searcher.Search(new MatchAllDocsQuery(), 10).TotalHits);
        using var newer = _index.AcquireSearcher();
        Assert.Equal(2, newer.Target.Searcher.Search(new MatchAllDocsQuery(), 10).TotalHits);
    }

    [Fact]
    public void StoreSizeBytes_AfterCommit_CountsFilesOnDisk()
    {
        _index.Index("1", Json("""{"title": "some text to store"}"""), WriteOptions.Default);
        _index.Commit();

        var expected = Directory.EnumerateFiles(_index.Folder, "*", SearchOption.AllDirectories)
            .Where(path => !path.EndsWith("write.lock", StringComparison.Ordinal))
            .Sum(path => new FileInfo(path).Length);
        Assert.Equal(expected, _index.StoreSizeBytes);
    }

    [Fact]
    public void Dispose_Twice_SecondDoesNothingAndWritesRefused()
    {
        _index.Dispose();
        _index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _index.Index("1", Json("{}"), WriteOptions.Default));
    }

    [Fact]
    public void Commit_ThenCrash_CopyOfDataDirectoryKeepsCommittedWrites()
    {
        _index.Index("1", Json("""{"n": 1}"""), WriteOptions.Default);
        _index.Delete("gone", WriteOptions.Default);
        _index.Commit();
        _index.Index("2", Json("""{"n": 2}"""), WriteOptions.Default); // never committed: may be lost

        // A copy taken while the catalog runs is what a crash (no close, no final commit) leaves.
        using var crashed = new Rerank.TestUtilities.TempDirectory();
        CopyDirectory(_context.DataDirectory, crashed.Path);
        using var reopened = new IndexCatalog(crashed.Path, new EngineOptions(), _context.Time);
        var index = reopened.GetIndex("docs");

        Assert.True(index.Get("1").Found);
        Assert.False(index.Get("2").Found);
        // seq_nos 0 (index "1") and 1 (delete of "gone") were committed; the uncommitted 2 may be reused.
        Assert.Equal(2, index.Index("3", Json("{}"), WriteOptions.Default).SeqNo);
    }

    [Fact]
    public async Task Index_ManyThreadsDistinctIds_AllAcknowledgedWritesSurviveReopen()
    {
        const int threads = 8;
        const int perThread = 50;
        var acknowledged = new ConcurrentBag<WriteResult>();

        var tasks = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var result = _index.Index($"t{t}-{i}", Json($$"""{"thread": {{t}}, "i": {{i}}, "text": "word{{i % 7}}"}"""), WriteOptions.Default);
                _index.Commit();
                acknowledged.Add(result);
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(tasks);
        _catalog.Dispose();

        using var reopened = _context.OpenCatalog();
        var index = reopened.GetIndex("docs");
        Assert.Equal(threads * perThread, acknowledged.Count);
        Assert.Equal(Enumerable.Range(0, threads * perThread).Select(n => (long)n), acknowledged.Select(r => r.SeqNo).Order());
        foreach (var result in acknowledged)
        {
            var got = index.Get(result.Id);
            Assert.True(got.Found, result.Id);
            Assert.Equal(1, got.Version);
            Assert.Equal(result.SeqNo, got.SeqNo);
        }

        Assert.Equal(threads * perThread, index.DocumentCount);
        Assert.Equal(threads * perThread, index.Index("after", Json("{}"), WriteOptions.Default).SeqNo);
    }

    [Fact]
    public async Task Get_WhileWritersAndRefreshesRun_EveryAcknowledgedWriteVisible()
    {
        const int writers = 4;
        const int perWriter = 50;
        var acknowledged = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<string>();
        using var done = new CancellationTokenSource();
        var cancellation = TestContext.Current.CancellationToken;

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var id = $"w{w}-{i}";
                _index.Index(id, Json($$"""{"w": {{w}}, "i": {{i}}}"""), WriteOptions.Default);
                _index.Commit();
                acknowledged.Enqueue(id);
            }
        }, cancellation)).ToList();
        var reading = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (var id in acknowledged.ToArray())
                {
                    var got = _index.Get(id);
                    if (!got.Found || got.Version != 1 || got.Source!["i"] is null)
                    {
                        failures.Enqueue(id);
                    }
                }

                using var lease = _index.AcquireSearcher();
                if (lease.Target.Searcher.IndexReader.NumDocs > writers * perWriter)
                {
                    failures.Enqueue("too many documents");
                }
            }
        }, cancellation)).ToList();
        var refreshing = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                _index.Refresh();
            }
        }, cancellation);

        await Task.WhenAll(writing);
        await done.CancelAsync();
        await Task.WhenAll(reading.Append(refreshing));

        Assert.Empty(failures);
        _index.Refresh();
        Assert.Equal(writers * perWriter, _index.DocumentCount);
    }

    [Fact]
    public async Task Index_ManyThreadsOneId_VersionsOneToNWithoutGaps()
    {
        const int threads = 8;
        const int perThread = 50;
        var versions = new ConcurrentBag<long>();
        var seqNos = new ConcurrentBag<long>();

        var tasks = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var result = _index.Index("hot", Json($$"""{"thread": {{t}}, "i": {{i}}}"""), WriteOptions.Default);
                versions.Add(result.Version);
                seqNos.Add(result.SeqNo);
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(1, threads * perThread).Select(n => (long)n), versions.Order());
        Assert.Equal(Enumerable.Range(0, threads * perThread).Select(n => (long)n), seqNos.Order());
        var got = _index.Get("hot");
        Assert.Equal(threads * perThread, got.Version);
        Assert.Equal(threads * perThread - 1, got.SeqNo);
        _index.Refresh();
        Assert.Equal(1, _index.DocumentCount);
    }

    [Fact]
    public async Task Update_ManyThreadsOneCounterField_NoLostUpdate()
    {
        _index.Index("c", Json("""{"hits": []}"""), WriteOptions.Default);
        const int threads = 8;
        const int perThread = 25;

        var tasks = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                // Each update adds its own field: a lost update would lose a field.
                _index.Update("c", new UpdateRequest { Doc = Json($$"""{"f{{t}}_{{i}}": true}""") }, WriteOptions.Default);
            }
        }, TestContext.Current.CancellationToken));
        await Task.WhenAll(tasks);

        var got = _index.Get("c");
        Assert.Equal(1 + (threads * perThread), got.Version);
        Assert.Equal(1 + (threads * perThread), got.Source!.Count);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        // Lock files are held exclusively (and a crash would leave them unlocked, which is what a missing file is).
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(path => !path.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
