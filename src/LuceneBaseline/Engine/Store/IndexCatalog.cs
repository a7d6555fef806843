using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rerank.LuceneBaseline.Engine.Diagnostics;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search;
using Rerank.LuceneBaseline.Engine.Store.Aliases;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The engine's indices under one data directory.</summary>
/// <remarks>
/// <para>Layout (docs/embedded-engine-internals.md, "Store"):</para>
/// <code>
/// &lt;data&gt;/node.lock                      held while a catalog has the directory open
/// &lt;data&gt;/indices/&lt;uuid&gt;/meta.json     name, uuid, creation date, settings as given, mapping
/// &lt;data&gt;/indices/&lt;uuid&gt;/lucene/       the Lucene index (FSDirectory)
/// </code>
/// <para>Folders are named by the index uuid, as in Elasticsearch, so a name never has to be a valid file name and a
/// name deleted and created again never meets its old files. At open, a folder with a uuid name and no
/// <c>meta.json</c> (a create that never finished, so never acknowledged), a <c>&lt;uuid&gt;.deleting</c> folder and a
/// folder holding <c>delete.marker</c> (deletes that did not finish) are removed; any other folder is left alone.</para>
/// <para>Deleting an index writes <c>delete.marker</c> into its folder durably before anything else: when that fails
/// the delete fails and the index stays open; once it is written the delete is acknowledged even if the rename or the
/// removal of the folder then fails, because the next start honours the marker and never reopens the index.</para>
/// <para>All members are safe for concurrent use. Creation and deletion are serialised; look-ups never wait. The
/// catalog owns its indices and disposes them.</para>
/// </remarks>
internal sealed partial class IndexCatalog : IDisposable
{
    internal const string IndicesFolderName = "indices";
    internal const string LockFileName = "node.lock";
    internal const string DeletingSuffix = ".deleting";
    internal const string DeleteMarkerFileName = "delete.marker";

    private readonly string _indicesPath;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly Identifiers _identifiers;
    private readonly FileStream _lockFile;
    private readonly ConcurrentDictionary<string, EngineIndex> _indices = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly StoreDiagnostics _diagnostics;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Opens every index under <paramref name="dataDirectory"/> (created when missing).</summary>
    /// <param name="dataDirectory">The data directory; one catalog at a time may hold it (<c>node.lock</c>).</param>
    /// <param name="options">Engine-wide settings.</param>
    /// <param name="timeProvider">The clock of creation dates, auto ids, tombstone expiry and the refresh schedule.</param>
    /// <param name="diagnostics">Where the store logs and records its durations; null logs and records nothing.</param>
    /// <exception cref="IOException">
    /// The data directory cannot be created or is not writable, or another catalog holds it; the message names the path.
    /// </exception>
    /// <exception cref="InvalidDataException">An index's <c>meta.json</c> is unreadable (the message names the file), or two folders claim one name.</exception>
    public IndexCatalog(string dataDirectory, EngineOptions options, TimeProvider timeProvider, StoreDiagnostics? diagnostics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _diagnostics = diagnostics ?? StoreDiagnostics.None;
        _logger = _diagnostics.LoggerFactory.CreateLogger<IndexCatalog>();
        _identifiers = new Identifiers(timeProvider);
        CreateWritable(dataDirectory);
        _lockFile = AcquireLock(dataDirectory);
        _indicesPath = Path.Combine(dataDirectory, IndicesFolderName);
        try
        {
            Directory.CreateDirectory(_indicesPath);
            OpenAll();
            PublishAliases();
        }
        catch
        {
            try
            {
                DisposeIndices();
            }
            catch (AggregateException)
            {
                // The failure that stopped the open is the one to report.
            }

            _lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The engine's instruments, or null when none are recorded.</summary>
    internal EngineMetrics? Metrics => _diagnostics.Metrics;

    /// <summary>The clock of this catalog's indices (search's <c>took</c> and timeouts use it too).</summary>
    internal TimeProvider Time => _time;

    /// <summary>The open indices, ordered by name (a snapshot).</summary>
    public IReadOnlyCollection<EngineIndex> Indices => _indices.Values.OrderBy(index => index.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// <c>PUT /&lt;index&gt;</c>: creates an index from a body with <c>settings</c>, <c>mappings</c> and (empty)
    /// <c>aliases</c>, and writes its <c>meta.json</c> before returning.
    /// </summary>
    /// <exception cref="EngineException">
    /// <c>parse_exception</c> for an unknown body key; <c>illegal_argument_exception</c> for settings, aliases;
    /// <c>invalid_index_name_exception</c>; <c>resource_already_exists_exception</c>; the mapping's errors.
    /// </exception>
    public EngineIndex CreateIndex(string name, JsonObject? body)
    {
        ArgumentNullException.ThrowIfNull(name);
        JsonNode? settingsNode = null;
        JsonObject? mappings = null;
        IReadOnlyDictionary<string, AliasMetadata> aliases = new Dictionary<string, AliasMetadata>();
        foreach (var (key, value) in body ?? [])
        {
            switch (key)
            {
                case "settings":
                    settingsNode = value as JsonObject ?? throw StoreErrors.Parse("key [settings] must be an object");
                    break;
                case "mappings":
                    mappings = value as JsonObject ?? throw StoreErrors.Parse("key [mappings] must be an object");
                    break;
                case "aliases":
                    aliases = AliasActionParser.ParseCreateAliases(value);
                    break;
                default:
                    throw StoreErrors.Parse($"unknown key [{key}] for create index");
            }
        }

        // Elasticsearch's order: the body, then the settings, then the name, then existence, then the mapping.
        var settings = IndexSettingsParser.Parse(settingsNode);
        IndexNames.Validate(name);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_indices.TryGetValue(name, out var existing))
            {
                throw StoreErrors.AlreadyExists(name, existing.Uuid);
            }

            CheckNewIndex(name, aliases);
            var mapping = mappings is null ? IndexMapping.Empty : MappingParser.Parse(mappings, name);
            settings.Similarity.CheckMapping(mapping);
            settings.MappingLimits.CheckMapping(mapping);
            var index = CreateLocked(name, settings, mapping);
            if (aliases.Count > 0)
            {
                index.SetAliases(aliases);
                PublishAliases();
            }

            return index;
        }
    }

    /// <summary>
    /// <c>DELETE /&lt;expression&gt;</c>: deletes the indices the expression names (commas; wildcards and <c>_all</c>
    /// only when <see cref="EngineOptions.DestructiveRequiresName"/> is off) and returns their names.
    /// </summary>
    /// <exception cref="EngineException">
    /// <c>index_not_found_exception</c> (404) for a missing concrete name (nothing is deleted then);
    /// <c>illegal_argument_exception</c> for a wildcard while destructive operations require names.
    /// </exception>
    /// <param name="expression">Index names, commas, wildcards.</param>
    /// <param name="ignoreUnavailable">Skip missing concrete names instead of answering 404 (<c>ignore_unavailable</c>).</param>
    public IReadOnlyList<string> DeleteIndices(string expression, bool ignoreUnavailable = false)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parts = SplitExpression(expression);
        if (_options.DestructiveRequiresName && (parts.Count == 0 || parts.Any(part => part == "_all" || Glob.HasWildcard(part))))
        {
            throw EngineException.IllegalArgument("Wildcard expressions or all indices are not allowed");
        }

        if (parts.FirstOrDefault(part => !_indices.ContainsKey(part) && IsAlias(part)) is { } alias)
        {
            throw AliasErrors.DeleteIndexNamesAlias(alias);
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var targets = Resolve(expression, ignoreUnavailable, allowNoIndices: true);

            // Every marker first: a delete that cannot be made durable fails whole, with every index still open.
            MarkForDeletion(targets);
            var deleted = new List<string>(targets.Count);
            foreach (var index in targets)
            {
                _indices.TryRemove(index.Name, out _);
                index.CloseForDeletion();
                DeleteFolder(index.Folder);
                deleted.Add(index.Name);
            }

            return deleted;
        }
    }

    /// <summary>The index named <paramref name="name"/>, or the write index of the alias so named.</summary>
    /// <exception cref="EngineException"><c>index_not_found_exception</c> (404); an alias without a write index.</exception>
    public EngineIndex GetIndex(string name) =>
        TryGetIndex(name, out var index) ? index : WriteIndexOf(name) ?? throw EngineException.IndexNotFound(name);

    public bool TryGetIndex(string name, [NotNullWhen(true)] out EngineIndex? index)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indices.TryGetValue(name, out index);
    }

    /// <summary>
    /// The index a write to <paramref name="name"/> goes to, created with default settings and an empty dynamic mapping
    /// when missing and <see cref="EngineOptions.AutoCreateIndex"/> is on. Concurrent first writes create one index.
    /// </summary>
    /// <exception cref="EngineException"><c>index_not_found_exception</c> when auto-creation is off; <c>invalid_index_name_exception</c>.</exception>
    public EngineIndex GetOrCreateForWrite(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_indices.TryGetValue(name, out var index) || (index = WriteIndexOf(name)) is not null)
        {
            return index;
        }

        if (!_options.AutoCreateIndex)
        {
            throw StoreErrors.AutoCreateDisabled(name);
        }

        IndexNames.Validate(name);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _indices.TryGetValue(name, out index) ? index : WriteIndexOf(name) ?? CreateLocked(name, new IndexSettings(), IndexMapping.Empty);
        }
    }

    /// <summary>
    /// The indices an index expression names, as Elasticsearch resolves it: comma-separated parts; <c>*</c> wildcards
    /// (matches in name order); <c>_all</c> or an empty expression for every index; <c>-pattern</c> after a wildcard part
    /// removes what it matches. Each index appears once, in order of first mention.
    /// </summary>
    /// <param name="expression">The expression, e.g. <c>logs-*,-logs-old,metrics</c>.</param>
    /// <param name="ignoreUnavailable">Skip missing concrete names instead of failing (<c>ignore_unavailable</c>).</param>
    /// <param name="allowNoIndices">Let wildcards match nothing (<c>allow_no_indices</c>, default true).</param>
    /// <exception cref="EngineException"><c>index_not_found_exception</c> (404).</exception>
    /// <remarks>Aliases are not expanded here (index-level APIs take concrete names); <see cref="ResolveWithAliases"/> does.</remarks>
    public IReadOnlyList<EngineIndex> Resolve(string expression, bool ignoreUnavailable = false, bool allowNoIndices = true) =>
        [.. ResolveExpression(expression, ignoreUnavailable, allowNoIndices, NoAliases).Select(resolved => resolved.Index)];

    /// <summary>Closes every index (each commits first) and releases the data directory. Idempotent.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            DisposeIndices();
        }
        finally
        {
            _lockFile.Dispose();
        }
    }

    private static List<string> SplitExpression(string expression) =>
        expression.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>
    /// Creates the data directory when missing and proves it writable by creating (and removing) a file in it, so a
    /// read-only directory is named as such rather than mistaken for a lock held by another engine.
    /// </summary>
    private static void CreateWritable(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The data directory [{dataDirectory}] cannot be created: {e.Message}", e);
        }

        var probe = Path.Combine(dataDirectory, $".write-probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The data directory [{dataDirectory}] is not writable: {e.Message}", e);
        }
    }

    private static FileStream AcquireLock(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"The data directory [{dataDirectory}] is not writable: [{path}] cannot be opened for writing ({e.Message}).", e);
        }
        catch (IOException e)
        {
            // The directory took a file a moment ago (CreateWritable), so a failure here is the lock another engine holds.
            throw new IOException($"The data directory [{dataDirectory}] is in use by another engine: [{path}] is locked.", e);
        }
    }

    /// <summary>Whether a folder name is an index uuid (22 characters of URL-safe base64).</summary>
    private static bool IsUuidName(string name) =>
        name.Length == 22 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// Writes <c>delete.marker</c> into each index folder and syncs it, so an acknowledged delete survives a restart
    /// whatever happens to the folder afterwards. When one cannot be written, the markers already written are removed
    /// and the delete fails with every index still open.
    /// </summary>
    /// <exception cref="EngineException">500 <c>i_o_exception</c> naming the index and the file.</exception>
    private void MarkForDeletion(IReadOnlyList<EngineIndex> targets)
    {
        var written = new List<string>(targets.Count);
        foreach (var index in targets)
        {
            var marker = Path.Combine(index.Folder, DeleteMarkerFileName);
            try
            {
                using (var stream = new FileStream(marker, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(Encoding.UTF8.GetBytes(index.Name));
                    stream.Flush(flushToDisk: true);
                }

                written.Add(marker);
                DirectorySync.Flush(index.Folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.DeleteRefused(_logger, index.Name, marker, e);
                foreach (var done in written)
                {
                    try
                    {
                        File.Delete(done);
                        DirectorySync.Flush(Path.GetDirectoryName(done)!);
                    }
                    catch (Exception undo) when (undo is IOException or UnauthorizedAccessException)
                    {
                        Log.DeleteMarkerNotRemoved(_logger, done, undo);
                    }
                }

                throw new EngineException(500, "i_o_exception", $"failed to delete index [{index.Name}]: cannot write [{marker}]: {e.Message}", index.Name);
            }
        }
    }

    /// <summary>
    /// Renames the folder away first (atomic), then removes it, so a crash mid-delete never leaves a half-deleted index
    /// that opens. A failure is logged, not thrown: the folder holds <c>delete.marker</c> (or is <c>.deleting</c>), so the
    /// next start finishes the delete.
    /// </summary>
    /// <returns>Whether the folder is gone.</returns>
    private bool DeleteFolder(string folder)
    {
        var doomed = folder + DeletingSuffix;
        try
        {
            Directory.Move(folder, doomed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.DeleteUnfinished(_logger, folder, e);
            return false;
        }

        try
        {
            DirectorySync.Flush(Path.GetDirectoryName(folder)!);
            Directory.Delete(doomed, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Open files (a searcher lease still held) can block the removal on some platforms.
            Log.DeleteUnfinished(_logger, doomed, e);
            return false;
        }
    }

    private void OpenAll()
    {
        var folders = Directory.GetDirectories(_indicesPath);

        // Unfinished renames first, so a marked folder's own rename below finds its target name free.
        foreach (var folder in folders)
        {
            var folderName = Path.GetFileName(folder);
            if (folderName.EndsWith(DeletingSuffix, StringComparison.Ordinal) && IsUuidName(folderName[..^DeletingSuffix.Length]))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Log.DeleteUnfinished(_logger, folder, e);
                }
            }
        }

        foreach (var folder in folders)
        {
            var folderName = Path.GetFileName(folder);
            if (!IsUuidName(folderName))
            {
                continue;
            }

            if (File.Exists(Path.Combine(folder, DeleteMarkerFileName)))
            {
                // An acknowledged delete whose folder outlived it: finish it, and never reopen the index.
                if (DeleteFolder(folder))
                {
                    Log.DeleteFinishedAtStart(_logger, folder);
                }

                continue;
            }

            if (!File.Exists(Path.Combine(folder, IndexMetadata.FileName)))
            {
                Directory.Delete(folder, recursive: true);
                continue;
            }

            IndexMetadata.DeleteLeftovers(folder);
            var metadata = IndexMetadata.Read(folder);
            if (_indices.TryGetValue(metadata.Name, out var other))
            {
                throw new InvalidDataException($"Two index folders claim the name [{metadata.Name}]: [{other.Folder}] and [{folder}].");
            }

            _indices[metadata.Name] = EngineIndex.Open(folder, metadata, _options, _time, _identifiers, _diagnostics);
        }
    }

    private EngineIndex CreateLocked(string name, IndexSettings settings, IndexMapping mapping)
    {
        var uuid = Identifiers.NewIndexUuid();
        var folder = Path.Combine(_indicesPath, uuid);

        // Milliseconds, as Elasticsearch keeps creation_date, so the date reads back equal after a restart.
        var created = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var metadata = new IndexMetadata(settings with { ProvidedName = name, Uuid = uuid, CreationDate = created }, mapping);
        Directory.CreateDirectory(folder);
        try
        {
            metadata.Write(folder);
            DirectorySync.Flush(_indicesPath);
            var index = EngineIndex.Open(folder, metadata, _options, _time, _identifiers, _diagnostics);
            _indices[name] = index;
            return index;
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    private void DisposeIndices()
    {
        List<Exception>? failures = null;
        foreach (var index in _indices.Values)
        {
            try
            {
                index.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                (failures ??= []).Add(e);
            }
        }

        _indices.Clear();
        if (failures is not null)
        {
            throw new AggregateException("Some indices failed to close.", failures);
        }
    }
}
