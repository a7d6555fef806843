using System.Globalization;
using System.Text.Json.Nodes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Extensions.Logging;
using FSDirectory = Lucene.Net.Store.FSDirectory;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Documents;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>One index of the embedded engine: its Lucene index on disk, mapping, settings and document versions.</summary>
/// <remarks>
/// <para>Every public member is safe to call from any number of threads at once. Operations on one document id are
/// serialised (a striped lock per id), so versions and <c>if_seq_no</c> checks are consistent; operations on different
/// ids run in parallel. The design (docs/embedded-engine-internals.md, "Store"):</para>
/// <list type="number">
/// <item>Versions: one <c>_seq_no</c> counter per index from 0, <c>_primary_term</c> 1, <c>_version</c> per id from 1. The
/// live version map holds every live id (read from Lucene at open) and the tombstones of recent deletes
/// (<c>index.gc_deletes</c>, 60 s), so a re-create continues the version, as in Elasticsearch. A restart keeps the
/// highest <c>_seq_no</c> in the Lucene commit, so sequence numbers never repeat.</item>
/// <item>Realtime get: the map keeps the source of each write until an internal get reader (reopened with every
/// refresh, and early when the kept sources pass 32 MiB) covers it; <see cref="Get"/> reads the map or that reader and
/// never waits for, or causes, a search refresh.</item>
/// <item>Durability: <see cref="Commit"/> makes every write applied before the call durable (a Lucene commit);
/// concurrent callers share commits. Callers acknowledge a write only after Commit returns. Mapping changes are
/// written to <c>meta.json</c> before the document that caused them is written.</item>
/// <item>Visibility: search sees writes after a refresh (every <c>index.refresh_interval</c>, engine default 1 s;
/// <c>-1</c> or 0 turns the schedule off), <see cref="Refresh"/>, or when <see cref="WaitForRefreshAsync"/> has more
/// than 1,000 listeners (Elasticsearch's <c>index.max_refresh_listeners</c>, which forces a refresh).</item>
/// </list>
/// <para>The catalog that opened the index owns it and disposes it; searcher leases must be disposed by whoever
/// acquired them.</para>
/// </remarks>
internal sealed partial class EngineIndex : IDisposable
{
    internal const string LuceneFolderName = "lucene";
    internal const string MaxSeqNoKey = "max_seq_no";
    internal const string LocalCheckpointKey = "local_checkpoint";

    /// <summary>How long a tombstone is kept (Elasticsearch's <c>index.gc_deletes</c> default).</summary>
    internal static readonly TimeSpan GcDeletes = TimeSpan.FromSeconds(60);

    private const long PrimaryTerm = 1;
    private const long UnassignedSeqNo = -2;
    private const int MaxRefreshListeners = 1000;
    private const int MaxIdBytes = 512;

    private static readonly HashSet<string> SourceField = [LuceneFieldNames.Source];

    private readonly string _folder;
    private readonly string _luceneFolder;
    private readonly TimeProvider _time;
    private readonly Identifiers _identifiers;
    private readonly LuceneDirectory _directory;
    private readonly MappingAnalyzer _analyzer;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchManager;
    private readonly SearcherManager _getManager;
    private readonly LiveVersionMap _versions = new(GcDeletes);
    private readonly LocalCheckpointTracker _checkpoints;
    private readonly RefreshListeners _listeners = new();
    private readonly OperationGate _gate;
    private readonly Lock _mappingLock = new();
    private readonly Lock _refreshLock = new();
    private readonly Lock _commitLock = new();
    private readonly ITimer? _refreshTimer;
    private readonly ILogger _logger;
    private readonly EngineMetrics? _metrics;
    private readonly long _pendingSourceLimitBytes;
    private volatile IndexMetadata _metadata;
    private volatile bool _deleted;
    private long _maxSeqNo;
    private long _searchCheckpoint;
    private long _commitTickets;
    private long _committedTicket;
    private long _committedMaxSeqNo;

    private EngineIndex(string folder, IndexMetadata metadata, EngineOptions options, TimeProvider time, Identifiers identifiers, StoreDiagnostics diagnostics)
    {
        _folder = folder;
        _logger = diagnostics.Logger;
        _metrics = diagnostics.Metrics;
        _metadata = metadata;
        _time = time;
        _identifiers = identifiers;
        _pendingSourceLimitBytes = options.PendingSourceLimitBytes;
        Name = metadata.Name;
        _gate = new OperationGate(() => _deleted ? EngineException.IndexNotFound(Name) : new ObjectDisposedException($"index [{Name}]"));
        _analyzer = new MappingAnalyzer(() => _metadata.Mapping);
        _luceneFolder = Path.Combine(folder, LuceneFolderName);
        _directory = FSDirectory.Open(_luceneFolder);
        try
        {
            var committedMaxSeqNo = ReadCommittedMaxSeqNo(_directory);
            // Settings cannot change after creation, so one similarity serves the index's lifetime.
            var similarity = metadata.Settings.Similarity.CreateSimilarity(() => _metadata.Mapping);
            var config = new IndexWriterConfig(AnalyzerFactory.Version, _analyzer)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                Similarity = similarity,
                RAMBufferSizeMB = 64,
                // Log merges join only adjacent segments, so doc ids keep insertion order and score ties break as in the
                // BM25 baseline (Indexing/Bm25Index).
                MergePolicy = new LogByteSizeMergePolicy(),
            };
            _writer = new IndexWriter(_directory, config);
            var searchers = new SimilaritySearcherFactory(similarity);
            _searchManager = new SearcherManager(_writer, true, searchers);
            _getManager = new SearcherManager(_writer, true, searchers);
            var maxLiveSeqNo = LoadVersionMap();
            _maxSeqNo = Math.Max(committedMaxSeqNo, maxLiveSeqNo);
            _committedMaxSeqNo = committedMaxSeqNo;
            _checkpoints = new LocalCheckpointTracker(_maxSeqNo);
            _searchCheckpoint = _maxSeqNo;
        }
        catch
        {
            _getManager?.Dispose();
            _searchManager?.Dispose();
            // Rollback closes the writer without committing anything a failed open might have changed.
            _writer?.Rollback();
            _analyzer.Dispose();
            _directory.Dispose();
            throw;
        }

        var interval = metadata.Settings.RefreshInterval ?? options.DefaultRefreshInterval;
        if (interval > TimeSpan.Zero)
        {
            _refreshTimer = time.CreateTimer(static state => ((EngineIndex)state!).OnRefreshTimer(), this, interval, interval);
        }
    }

    /// <summary>The index name.</summary>
    public string Name { get; }

    /// <summary>The index uuid (22 characters, made at creation and kept on disk).</summary>
    public string Uuid => _metadata.Uuid;

    public DateTimeOffset CreationDate => _metadata.CreationDate;

    public IndexSettings Settings => _metadata.Settings;

    /// <summary>The current mapping; replaced atomically by <see cref="PutMapping"/> and dynamic mapping updates.</summary>
    public IndexMapping Mapping => _metadata.Mapping;

    /// <summary>The index's aliases by name.</summary>
    public IReadOnlyDictionary<string, Aliases.AliasMetadata> Aliases => _metadata.Aliases;

    /// <summary>Live documents visible to search (as of the last refresh), Elasticsearch's <c>docs.count</c>.</summary>
    public long DocumentCount => WithSearcher(searcher => (long)searcher.IndexReader.NumDocs);

    /// <summary>Deleted or replaced documents not yet merged away, as of the last refresh (<c>docs.deleted</c>).</summary>
    public long DeletedDocumentCount => WithSearcher(searcher => (long)searcher.IndexReader.NumDeletedDocs);

    /// <summary>Bytes on disk: the Lucene files and <c>meta.json</c> (<c>store.size</c>).</summary>
    public long StoreSizeBytes
    {
        get
        {
            using var scope = _gate.Enter();
            long total = 0;
            foreach (var file in _directory.ListAll())
            {
                try
                {
                    total += _directory.FileLength(file);
                }
                catch (FileNotFoundException)
                {
                    // A merge deleted the file between listing and sizing it.
                }
            }

            var meta = new FileInfo(Path.Combine(_folder, IndexMetadata.FileName));
            return total + (meta.Exists ? meta.Length : 0);
        }
    }

    /// <summary>The index folder (<c>&lt;data&gt;/indices/&lt;uuid&gt;</c>).</summary>
    internal string Folder => _folder;

    /// <summary>About how many source bytes the version map holds for realtime get (writes no get reader covers yet).</summary>
    internal long PendingSourceBytes => _versions.PendingSourceBytes;

    /// <summary>The highest <c>_seq_no</c> assigned so far (-1 when none).</summary>
    internal long MaxSeqNo => Interlocked.Read(ref _maxSeqNo);

    /// <summary>
    /// <c>PUT /&lt;index&gt;/_mapping</c>: merges <paramref name="body"/> into the mapping, writes <c>meta.json</c> and returns
    /// the new mapping.
    /// </summary>
    /// <exception cref="EngineException">The mapping errors of <see cref="MappingParser.Merge"/>.</exception>
    public IndexMapping PutMapping(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var scope = _gate.Enter();
        lock (_mappingLock)
        {
            var metadata = _metadata;
            var merged = MappingParser.Merge(metadata.Mapping, body, Name);
            metadata.Settings.Similarity.CheckMapping(merged);
            metadata.Settings.MappingLimits.CheckMapping(merged);
            Persist(metadata with { Mapping = merged });
            return merged;
        }
    }

    /// <summary>
    /// Indexes <paramref name="source"/> under <paramref name="id"/> (a new 20-character id when null: an auto-generated
    /// id is always a create). Not durable until <see cref="Commit"/>.
    /// </summary>
    /// <exception cref="EngineException">
    /// <c>version_conflict_engine_exception</c> (409) for <see cref="OpType.Create"/> on an existing id or an
    /// <c>if_seq_no</c>/<c>if_primary_term</c> mismatch; <c>action_request_validation_exception</c> for bad options;
    /// the document errors of <see cref="DocumentConverter.Convert"/>.
    /// </exception>
    public WriteResult Index(string? id, JsonObject source, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ValidateIndex(id, options);
        using var scope = _gate.Enter();
        var started = _time.GetTimestamp();
        id ??= _identifiers.NewDocumentId();
        WriteResult result;
        lock (_versions.LockFor(id))
        {
            var current = _versions.Get(id, NowMilliseconds());
            var live = current is { Deleted: false };
            if (options.IfSeqNo is { } ifSeqNo)
            {
                CheckSeqNo(id, current, ifSeqNo, options.IfPrimaryTerm ?? 0);
            }

            if (options.OpType == OpType.Create && live)
            {
                throw StoreErrors.DocumentExists(Name, Uuid, id, current!.Version);
            }

            var version = (current?.Version ?? 0) + 1;
            var seqNo = Write(id, source, version, replaces: live);
            result = new WriteResult(Name, id, version, seqNo, PrimaryTerm, live ? WriteOutcome.Updated : WriteOutcome.Created);
        }

        RefreshGetReaderIfSourcesPileUp();
        return Recorded("index", started, result);
    }

    /// <summary>
    /// Deletes <paramref name="id"/>. A missing id still takes a <c>_seq_no</c> and a version (from 1, or after a known
    /// tombstone) and answers <see cref="WriteOutcome.NotFound"/>, as Elasticsearch does. Not durable until <see cref="Commit"/>.
    /// </summary>
    /// <exception cref="EngineException"><c>version_conflict_engine_exception</c> (409) on an <c>if_seq_no</c> mismatch.</exception>
    public WriteResult Delete(string id, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(options);
        ValidateDelete(id, options);
        using var scope = _gate.Enter();
        var started = _time.GetTimestamp();
        lock (_versions.LockFor(id))
        {
            var now = NowMilliseconds();
            var current = _versions.Get(id, now);
            if (options.IfSeqNo is { } ifSeqNo)
            {
                CheckSeqNo(id, current, ifSeqNo, options.IfPrimaryTerm ?? 0);
            }

            var found = current is { Deleted: false };
            var version = (current?.Version ?? 0) + 1;
            var seqNo = Interlocked.Increment(ref _maxSeqNo);
            try
            {
                if (found)
                {
                    _writer.DeleteDocuments(new Term(LuceneFieldNames.Id, id));
                }

                _versions.Put(id, new VersionEntry(seqNo, PrimaryTerm, version, Deleted: true, DeletedAtMilliseconds: now, Source: null));
            }
            finally
            {
                _checkpoints.MarkProcessed(seqNo);
            }

            return Recorded("delete", started, new WriteResult(Name, id, version, seqNo, PrimaryTerm, found ? WriteOutcome.Deleted : WriteOutcome.NotFound));
        }
    }

    /// <summary>
    /// <c>_update</c> with a partial document: merges <see cref="UpdateRequest.Doc"/> into the realtime source and writes
    /// the result; <see cref="WriteOutcome.Noop"/> (nothing written, versions unchanged) when the merge changes nothing
    /// and <see cref="UpdateRequest.DetectNoop"/> is set. A missing document is created from
    /// <see cref="UpdateRequest.Upsert"/> or, with <see cref="UpdateRequest.DocAsUpsert"/>, from the doc.
    /// </summary>
    /// <exception cref="EngineException">
    /// <c>document_missing_exception</c> (404) when the document is missing and there is no upsert;
    /// <c>version_conflict_engine_exception</c> on an <c>if_seq_no</c> mismatch; <c>action_request_validation_exception</c>.
    /// </exception>
    public WriteResult Update(string id, UpdateRequest request, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ValidateUpdate(id, request, options);
        using var scope = _gate.Enter();
        var started = _time.GetTimestamp();
        WriteResult result;
        lock (_versions.LockFor(id))
        {
            var current = _versions.Get(id, NowMilliseconds());
            if (current is { Deleted: false })
            {
                if (options.IfSeqNo is { } ifSeqNo)
                {
                    CheckSeqNo(id, current, ifSeqNo, options.IfPrimaryTerm ?? 0);
                }

                var merged = ParseSource(id, current);
                var changed = SourceMerge.Merge(merged, request.Doc!.DeepClone().AsObject());
                if (!changed && request.DetectNoop)
                {
                    return Recorded("update", started, new WriteResult(Name, id, current.Version, current.SeqNo, current.PrimaryTerm, WriteOutcome.Noop));
                }

                var version = current.Version + 1;
                result = new WriteResult(Name, id, version, Write(id, merged, version, replaces: true), PrimaryTerm, WriteOutcome.Updated);
            }
            else
            {
                var upsert = request.DocAsUpsert ? request.Doc : request.Upsert;
                if (upsert is null)
                {
                    throw StoreErrors.DocumentMissing(Name, Uuid, id);
                }

                var version = (current?.Version ?? 0) + 1;
                result = new WriteResult(Name, id, version, Write(id, upsert.DeepClone().AsObject(), version, replaces: false), PrimaryTerm, WriteOutcome.Created);
            }
        }

        RefreshGetReaderIfSourcesPileUp();
        return Recorded("update", started, result);
    }

    /// <summary>
    /// Realtime get: the latest acknowledged (or in-flight, completed) write of <paramref name="id"/>, whether or not a
    /// refresh has made it visible to search.
    /// </summary>
    public GetResult Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var scope = _gate.Enter();
        lock (_versions.LockFor(id))
        {
            var current = _versions.Get(id, NowMilliseconds());
            if (current is not { Deleted: false })
            {
                return new GetResult(Name, id, Found: false, Version: -1, SeqNo: UnassignedSeqNo, PrimaryTerm: 0, Source: null);
            }

            return new GetResult(Name, id, Found: true, current.Version, current.SeqNo, current.PrimaryTerm, ParseSource(id, current));
        }
    }

    /// <summary>
    /// Makes every write applied before this call durable: one Lucene commit carrying <c>max_seq_no</c>. Callers that
    /// arrive while a commit runs share the next one (group commit). Call before acknowledging a write request.
    /// </summary>
    public void Commit()
    {
        using var scope = _gate.Enter();
        CommitCore();
    }

    /// <summary>
    /// <c>_forcemerge</c>: merges the index down to at most <paramref name="maxSegments"/> segments (or only drops deleted
    /// documents when <paramref name="onlyExpungeDeletes"/>), waits for the merge, then commits and refreshes so the
    /// merged segments serve the next search. Fewer segments mean fewer per-term lookups per query, which is why
    /// Elasticsearch users run it after a bulk load. Lucene doc ids keep insertion order (log merges join neighbours).
    /// </summary>
    public void ForceMerge(int maxSegments, bool onlyExpungeDeletes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        using var scope = _gate.Enter();
        if (onlyExpungeDeletes)
        {
            _writer.ForceMergeDeletes(doWait: true);
        }
        else
        {
            _writer.ForceMerge(maxSegments, doWait: true);
        }

        CommitCore();
        RefreshCore();
    }

    /// <summary>Makes every write applied before this call visible to search, and completes the waiting listeners it covers.</summary>
    public void Refresh()
    {
        using var scope = _gate.Enter();
        RefreshCore();
    }

    /// <summary>
    /// Completes when a refresh has made <paramref name="seqNo"/> visible to search (<c>refresh=wait_for</c>); at once when it
    /// already is or when the index closes. With the refresh schedule off it waits for an explicit refresh.
    /// </summary>
    public Task WaitForRefreshAsync(long seqNo, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _searchCheckpoint) >= seqNo || !_gate.TryEnter(out var scope))
        {
            return Task.CompletedTask;
        }

        using (scope)
        {
            if (_listeners.Count >= MaxRefreshListeners)
            {
                RefreshCore();
                return Task.CompletedTask;
            }

            var task = _listeners.Add(seqNo, cancellationToken);

            // A refresh between the first check and Add would not have seen this listener.
            var checkpoint = Volatile.Read(ref _searchCheckpoint);
            if (checkpoint >= seqNo)
            {
                _listeners.Complete(checkpoint);
            }

            return task;
        }
    }

    /// <summary>Closes the index: stops the refresh schedule, commits, closes the writer and readers. Idempotent.</summary>
    public void Dispose() => Close(commit: true);

    /// <summary>Borrows a point-in-time searcher (as of the last refresh) with the current mapping; dispose the lease.</summary>
    internal SearcherLease AcquireSearcher()
    {
        using var scope = _gate.Enter();
        var searcher = _searchManager.Acquire();
        var metadata = _metadata;
        var target = new SearchTarget(Name, searcher, metadata.Mapping, _analyzer, metadata.Settings.MaxResultWindow)
        {
            IndexUuid = Uuid,
            HighlightMaxAnalyzedOffset = metadata.Settings.HighlightMaxAnalyzedOffset,
        };
        return new SearcherLease(target, () => _searchManager.Release(searcher));
    }

    /// <summary>Opens (or creates) the index in <paramref name="folder"/>, whose <c>meta.json</c> <paramref name="metadata"/> was read from.</summary>
    /// <param name="folder">The index folder.</param>
    /// <param name="metadata">What its <c>meta.json</c> holds.</param>
    /// <param name="options">Engine-wide settings.</param>
    /// <param name="time">The clock of tombstones, the refresh schedule and the write and commit durations.</param>
    /// <param name="identifiers">Makes auto-generated ids.</param>
    /// <param name="diagnostics">Where refresh and commit failures are logged and write and commit durations recorded.</param>
    internal static EngineIndex Open(
        string folder, IndexMetadata metadata, EngineOptions options, TimeProvider time, Identifiers identifiers, StoreDiagnostics? diagnostics = null) =>
        new(folder, metadata, options, time, identifiers, diagnostics ?? StoreDiagnostics.None);

    /// <summary>Closes the index without committing, for deletion; later calls get <c>index_not_found_exception</c>.</summary>
    internal void CloseForDeletion()
    {
        _deleted = true;
        Close(commit: false);
    }

    private static long ReadCommittedMaxSeqNo(LuceneDirectory directory)
    {
        if (!DirectoryReader.IndexExists(directory))
        {
            return -1;
        }

        var infos = new SegmentInfos();
        infos.Read(directory);
        return infos.UserData.TryGetValue(MaxSeqNoKey, out var text) ? long.Parse(text, CultureInfo.InvariantCulture) : -1;
    }

    private static void SetSeqNo(Document document, long seqNo)
    {
        foreach (var field in document.GetFields(LuceneFieldNames.SeqNo))
        {
            if (field is Field settable)
            {
                settable.SetInt64Value(seqNo);
            }
        }
    }

    /// <summary>
    /// Elasticsearch's request validation of an index request (<c>_doc</c>, <c>_create</c>, bulk <c>index</c> and
    /// <c>create</c>), which runs before anything else (before an index is auto-created):
    /// <c>action_request_validation_exception</c> listing every failed check. <see cref="Index"/> runs it too; the HTTP
    /// layer may call it first so an invalid request creates no index.
    /// </summary>
    internal static void ValidateIndex(string? id, WriteOptions options)
    {
        var errors = new List<string>();
        if (options.OpType == OpType.Create && (options.IfSeqNo is not null || (options.IfPrimaryTerm ?? 0) != 0))
        {
            errors.Add("create operations do not support compare and set. use index instead");
        }

        AddCasErrors(options, errors);
        if (id is not null)
        {
            AddIdLengthError(id, errors);
        }

        ThrowIfAny(errors);
        if (id is { Length: 0 })
        {
            throw EngineException.IllegalArgument("if _id is specified it must not be empty");
        }
    }

    /// <summary>
    /// Elasticsearch's request validation of a delete request, which runs before anything else (before an index is
    /// auto-created): <c>action_request_validation_exception</c> listing every failed check. <see cref="Delete"/> runs
    /// it too; the HTTP layer may call it first so an invalid request creates no index.
    /// </summary>
    internal static void ValidateDelete(string id, WriteOptions options)
    {
        var errors = new List<string>();
        if (id.Length == 0)
        {
            errors.Add("id is missing");
        }

        AddCasErrors(options, errors);
        AddIdLengthError(id, errors);
        ThrowIfAny(errors);
    }

    /// <summary>
    /// Elasticsearch's request validation of an update request, which runs before anything else (before an index is
    /// auto-created): <c>action_request_validation_exception</c> listing every failed check. <see cref="Update"/> runs
    /// it too; the HTTP layer may call it first so an invalid request creates no index.
    /// </summary>
    internal static void ValidateUpdate(string id, UpdateRequest request, WriteOptions options)
    {
        var errors = new List<string>();
        if (id.Length == 0)
        {
            errors.Add("id is missing");
        }

        AddCasErrors(options, errors);
        if (options.IfSeqNo is not null)
        {
            if (request.DocAsUpsert)
            {
                errors.Add("compare and write operations can not be used with upsert");
            }

            if (request.Upsert is not null)
            {
                errors.Add("upsert requests don't support `if_seq_no` and `if_primary_term`");
            }
        }

        if (request.Doc is null)
        {
            errors.Add("script or doc is missing");
            if (request.DocAsUpsert)
            {
                errors.Add("doc must be specified if doc_as_upsert is enabled");
            }
        }

        AddIdLengthError(id, errors);
        ThrowIfAny(errors);
    }

    /// <summary>Elasticsearch's checks of <c>if_seq_no</c>/<c>if_primary_term</c> (a primary term of 0 is "unassigned").</summary>
    private static void AddCasErrors(WriteOptions options, List<string> errors)
    {
        if (options.IfSeqNo is < 0)
        {
            throw EngineException.IllegalArgument($"sequence numbers must be non negative. got [{options.IfSeqNo}].");
        }

        if (options.IfPrimaryTerm is < 0)
        {
            throw EngineException.IllegalArgument($"primary term must be non negative. got [{options.IfPrimaryTerm}]");
        }

        var term = options.IfPrimaryTerm ?? 0;
        if (options.IfSeqNo is not null && term == 0)
        {
            errors.Add("ifSeqNo is set, but primary term is [0]");
        }

        if (options.IfSeqNo is null && term != 0)
        {
            errors.Add($"ifSeqNo is unassigned, but primary term is [{term}]");
        }
    }

    private static void AddIdLengthError(string id, List<string> errors)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(id);
        if (bytes > MaxIdBytes)
        {
            errors.Add($"id [{id}] is too long, must be no longer than {MaxIdBytes} bytes but was: {bytes}");
        }
    }

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw EngineException.Validation(errors);
        }
    }

    private void CheckSeqNo(string id, VersionEntry? current, long ifSeqNo, long ifPrimaryTerm)
    {
        // A tombstone counts as no document (elastic/elasticsearch#50526): its seq_no must not leak or match.
        if (current is not { Deleted: false })
        {
            throw StoreErrors.SeqNoConflictNoDocument(Name, Uuid, id, ifSeqNo, ifPrimaryTerm);
        }

        if (current.SeqNo != ifSeqNo || current.PrimaryTerm != ifPrimaryTerm)
        {
            throw StoreErrors.SeqNoConflict(Name, Uuid, id, ifSeqNo, ifPrimaryTerm, current.SeqNo, current.PrimaryTerm);
        }
    }

    /// <summary>
    /// Converts and writes one document as <paramref name="version"/> of <paramref name="id"/>, with that id's lock held.
    /// The <c>_seq_no</c> is taken only after the conversion succeeded, so a rejected document consumes none (as in
    /// Elasticsearch, where mapping errors precede the engine); once taken it is marked processed even if Lucene fails.
    /// <paramref name="replaces"/> says whether a live document of the id exists; when none does, the document is only
    /// added (the version map knows every live id, so no delete-by-term is needed, which bulk loads save on).
    /// </summary>
    private long Write(string id, JsonObject source, long version, bool replaces)
    {
        var converted = Convert(id, source, new DocumentVersion(UnassignedSeqNo, PrimaryTerm, version));
        var seqNo = Interlocked.Increment(ref _maxSeqNo);
        try
        {
            SetSeqNo(converted.Document, seqNo);
            if (replaces)
            {
                _writer.UpdateDocument(new Term(LuceneFieldNames.Id, id), converted.Document);
            }
            else
            {
                _writer.AddDocument(converted.Document);
            }

            _versions.Put(id, new VersionEntry(seqNo, PrimaryTerm, version, Deleted: false, DeletedAtMilliseconds: 0, converted.SourceBytes));
        }
        catch (ArgumentException e) when (e.Message.StartsWith("Document contains at least one immense term", StringComparison.Ordinal))
        {
            // Lucene refuses a term over 32,766 UTF-8 bytes (a long field name reaches one through the field-names
            // field) before the document is added or the old one deleted, so nothing was written: the client's
            // mistake, 400 as in Elasticsearch, and the version map keeps the document that was there.
            throw EngineException.IllegalArgument(e.Message);
        }
        finally
        {
            _checkpoints.MarkProcessed(seqNo);
        }

        return seqNo;
    }

    /// <summary>
    /// Converts with the current mapping; a dynamic mapping update is persisted (under the mapping lock) before the
    /// document is written. When another write changed the mapping meanwhile, the document is converted again against
    /// the newer mapping, so no update is lost and conflicting dynamic fields are caught.
    /// </summary>
    private ConvertedDocument Convert(string id, JsonObject source, DocumentVersion version)
    {
        while (true)
        {
            var metadata = _metadata;
            var converted = DocumentConverter.Convert(metadata.Mapping, Name, id, source, version, metadata.Settings.MappingLimits);
            if (!converted.MappingChanged)
            {
                return converted;
            }

            lock (_mappingLock)
            {
                if (!ReferenceEquals(_metadata, metadata))
                {
                    continue;
                }

                Persist(metadata with { Mapping = converted.Mapping });
                return converted;
            }
        }
    }

    /// <summary>Replaces the index's aliases and writes <c>meta.json</c> (the catalog serialises alias changes).</summary>
    internal void SetAliases(IReadOnlyDictionary<string, Aliases.AliasMetadata> aliases)
    {
        using var scope = _gate.Enter();
        lock (_mappingLock)
        {
            Persist(_metadata with { Aliases = aliases });
        }
    }

    /// <summary>Writes <c>meta.json</c>, then publishes the metadata; call with the mapping lock held.</summary>
    private void Persist(IndexMetadata metadata)
    {
        metadata.Write(_folder);
        _metadata = metadata;
    }

    private JsonObject ParseSource(string id, VersionEntry entry)
    {
        var bytes = entry.Source ?? ReadStoredSource(id);
        return JsonNode.Parse(bytes)?.AsObject() ?? throw new InvalidDataException($"The stored _source of [{id}] is not a JSON object.");
    }

    /// <summary>
    /// The stored source of a live id from the get reader. Called with the id's lock held and only when the version map
    /// dropped the source, which happens only after a get reader covering the entry was opened.
    /// </summary>
    private byte[] ReadStoredSource(string id)
    {
        var searcher = _getManager.Acquire();
        try
        {
            var hits = searcher.Search(new TermQuery(new Term(LuceneFieldNames.Id, id)), 1);
            if (hits.TotalHits == 0)
            {
                throw new InvalidOperationException($"The version map knows [{id}] but the get reader does not.");
            }

            var stored = searcher.Doc(hits.ScoreDocs[0].Doc, SourceField).GetBinaryValue(LuceneFieldNames.Source)
                ?? throw new InvalidDataException($"The document [{id}] has no stored _source.");
            return stored.Bytes.AsSpan(stored.Offset, stored.Length).ToArray();
        }
        finally
        {
            _getManager.Release(searcher);
        }
    }

    /// <summary>Reads every live document's id and versions; returns the highest <c>_seq_no</c> (-1 when none).</summary>
    private long LoadVersionMap()
    {
        var searcher = _getManager.Acquire();
        try
        {
            var maxSeqNo = -1L;
            foreach (var leaf in searcher.IndexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                var terms = reader.GetTerms(LuceneFieldNames.Id);
                if (terms is null)
                {
                    continue;
                }

                var seqNos = RequiredDocValues(reader, LuceneFieldNames.SeqNo);
                var versions = RequiredDocValues(reader, LuceneFieldNames.Version);
                var primaryTerms = RequiredDocValues(reader, LuceneFieldNames.PrimaryTerm);
                var liveDocs = reader.LiveDocs;
                var termsEnum = terms.GetEnumerator();
                DocsEnum? docs = null;
                while (termsEnum.MoveNext())
                {
                    var id = termsEnum.Term.Utf8ToString();
                    docs = termsEnum.Docs(liveDocs, docs, DocsFlags.NONE);
                    int doc;
                    while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
                    {
                        var seqNo = seqNos.Get(doc);
                        _versions.Load(id, seqNo, primaryTerms.Get(doc), versions.Get(doc));
                        maxSeqNo = Math.Max(maxSeqNo, seqNo);
                    }
                }
            }

            return maxSeqNo;
        }
        finally
        {
            _getManager.Release(searcher);
        }
    }

    private static NumericDocValues RequiredDocValues(AtomicReader reader, string field) =>
        reader.GetNumericDocValues(field) ?? throw new InvalidDataException($"A segment has documents without [{field}] doc values.");

    private void CommitCore()
    {
        // Ticket order: a caller whose ticket is at or below the one a commit read before starting had its writes
        // applied before that commit began, so that commit covers it and the caller need not commit again.
        var ticket = Interlocked.Increment(ref _commitTickets);
        lock (_commitLock)
        {
            if (Interlocked.Read(ref _committedTicket) >= ticket)
            {
                return;
            }

            var covered = Interlocked.Read(ref _commitTickets);
            var maxSeqNo = Interlocked.Read(ref _maxSeqNo);
            if (maxSeqNo != _committedMaxSeqNo)
            {
                // Changing the commit data is itself a change, so a commit happens even when only a delete of a missing
                // id took a sequence number.
                _writer.SetCommitData(new Dictionary<string, string>
                {
                    [MaxSeqNoKey] = maxSeqNo.ToString(CultureInfo.InvariantCulture),
                    [LocalCheckpointKey] = _checkpoints.Checkpoint.ToString(CultureInfo.InvariantCulture),
                });
            }

            var started = _time.GetTimestamp();
            try
            {
                _writer.Commit();
                // Lucene 4.8 syncs the new files but not the directory that names them.
                DirectorySync.Flush(_luceneFolder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CommitFailed(_logger, Name, e);
                throw;
            }

            _metrics?.CommitCompleted(_time.GetElapsedTime(started));
            _committedMaxSeqNo = maxSeqNo;
            Interlocked.Exchange(ref _committedTicket, covered);
        }
    }

    private void RefreshCore()
    {
        long checkpoint;
        lock (_refreshLock)
        {
            // Everything at or below the checkpoint was applied to the writer before the reopen starts, so it is visible.
            checkpoint = _checkpoints.Checkpoint;
            _searchManager.MaybeRefreshBlocking();
            Volatile.Write(ref _searchCheckpoint, checkpoint);
            RefreshGetReaderLocked(checkpoint);
            _versions.PruneTombstones(NowMilliseconds());
        }

        _listeners.Complete(checkpoint);
    }

    private void RefreshGetReaderLocked(long checkpoint)
    {
        _getManager.MaybeRefreshBlocking();
        _versions.PruneSources(checkpoint);
    }

    /// <summary>Bounds the sources the version map holds when refreshes are rare or off.</summary>
    private void RefreshGetReaderIfSourcesPileUp()
    {
        if (_versions.PendingSourceBytes <= _pendingSourceLimitBytes)
        {
            return;
        }

        lock (_refreshLock)
        {
            if (_versions.PendingSourceBytes > _pendingSourceLimitBytes)
            {
                RefreshGetReaderLocked(_checkpoints.Checkpoint);
            }
        }
    }

    private void OnRefreshTimer()
    {
        if (!_gate.TryEnter(out var scope))
        {
            return;
        }

        using (scope)
        {
            try
            {
                RefreshCore();
            }
            catch (ObjectDisposedException)
            {
                // The index closed while the timer fired: nothing is wrong.
            }
            catch (Exception e)
            {
                // A timer thread has no caller, and an exception escaping it would end the process: log it. The next
                // explicit refresh or write surfaces the failure to a client as well.
                Log.RefreshFailed(_logger, Name, e);
            }
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        using var scope = _gate.Enter();
        var searcher = _searchManager.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchManager.Release(searcher);
        }
    }

    private long NowMilliseconds() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private WriteResult Recorded(string operation, long started, WriteResult result)
    {
        _metrics?.WriteCompleted(operation, _time.GetElapsedTime(started));
        return result;
    }

    private void Close(bool commit)
    {
        if (!_gate.Close())
        {
            return;
        }

        _refreshTimer?.Dispose();
        try
        {
            if (commit)
            {
                CommitCore();
            }
        }
        finally
        {
            try
            {
                _searchManager.Dispose();
                _getManager.Dispose();
                if (commit)
                {
                    _writer.Dispose();
                }
                else
                {
                    _writer.Rollback();
                }
            }
            finally
            {
                _analyzer.Dispose();
                _directory.Dispose();
                _listeners.CompleteAll();
            }
        }
    }
}
