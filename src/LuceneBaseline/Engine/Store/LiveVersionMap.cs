using System.Collections.Concurrent;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// The live version map of one index: id -> <see cref="VersionEntry"/> for every live document (loaded from Lucene at
/// open) and every recent delete, with striped per-id locks.
/// </summary>
/// <remarks>
/// <para>Callers change an id's entry only while holding <see cref="LockFor"/> of that id, so the operations on one id are
/// serial and each sees the version its predecessor left; different ids take different stripes and run in parallel.</para>
/// <para>Entries of writes the get reader may not see yet keep their source (<see cref="VersionEntry.Source"/>);
/// <see cref="PruneSources"/> drops it once a get reader covers the write, so the memory held is what was written
/// since the last refresh. Tombstones older than <c>gc_deletes</c> count as absent and are dropped by
/// <see cref="PruneTombstones"/>. Thread-safe.</para>
/// </remarks>
internal sealed class LiveVersionMap
{
    private const int StripeCount = 256;

    private readonly object[] _stripes = Enumerable.Range(0, StripeCount).Select(_ => new object()).ToArray();
    private readonly ConcurrentDictionary<string, VersionEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Id, VersionEntry Entry)> _tombstones = new();
    private readonly Lock _pendingLock = new();
    private readonly long _gcDeletesMilliseconds;
    private List<string> _pendingIds = [];
    private long _pendingBytes;

    /// <param name="gcDeletes">How long a delete's tombstone is kept (Elasticsearch's <c>index.gc_deletes</c>).</param>
    public LiveVersionMap(TimeSpan gcDeletes)
    {
        _gcDeletesMilliseconds = (long)gcDeletes.TotalMilliseconds;
    }

    /// <summary>About how many source bytes the map holds for writes the get reader may not cover.</summary>
    public long PendingSourceBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>The lock serialising the operations on <paramref name="id"/>.</summary>
    public object LockFor(string id) => _stripes[(StringComparer.Ordinal.GetHashCode(id) & int.MaxValue) % StripeCount];

    /// <summary>The id's entry, or null when the map has none or only an expired tombstone.</summary>
    public VersionEntry? Get(string id, long nowMilliseconds)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            return null;
        }

        return entry.Deleted && nowMilliseconds - entry.DeletedAtMilliseconds >= _gcDeletesMilliseconds ? null : entry;
    }

    /// <summary>Sets the id's entry; call with <see cref="LockFor"/> of the id held.</summary>
    public void Put(string id, VersionEntry entry)
    {
        _entries[id] = entry;
        if (entry.Source is not null)
        {
            lock (_pendingLock)
            {
                _pendingIds.Add(id);
                _pendingBytes += entry.Source.Length;
            }
        }

        if (entry.Deleted)
        {
            _tombstones.Enqueue((id, entry));
        }
    }

    /// <summary>Adds a live document read from Lucene at open.</summary>
    public void Load(string id, long seqNo, long primaryTerm, long version) =>
        _entries[id] = new VersionEntry(seqNo, primaryTerm, version, Deleted: false, DeletedAtMilliseconds: 0, Source: null);

    /// <summary>Drops the sources of writes up to <paramref name="checkpoint"/>, which a get reader now covers.</summary>
    public void PruneSources(long checkpoint)
    {
        List<string> pending;
        lock (_pendingLock)
        {
            pending = _pendingIds;
            _pendingIds = [];
            _pendingBytes = 0;
        }

        var keep = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long keptBytes = 0;
        foreach (var id in pending)
        {
            if (!seen.Add(id) || !_entries.TryGetValue(id, out var entry) || entry.Source is null)
            {
                continue;
            }

            // A write racing this prune replaces the entry; TryUpdate then fails and the newer entry keeps its source.
            if (entry.SeqNo > checkpoint || !_entries.TryUpdate(id, entry with { Source = null }, entry))
            {
                keep.Add(id);
                keptBytes += entry.Source.Length;
            }
        }

        lock (_pendingLock)
        {
            // Writes made during the prune are already in the new list and counted.
            _pendingIds.AddRange(keep);
            _pendingBytes += keptBytes;
        }
    }

    /// <summary>Drops tombstones older than <c>gc_deletes</c>.</summary>
    public void PruneTombstones(long nowMilliseconds)
    {
        while (_tombstones.TryPeek(out var oldest) && nowMilliseconds - oldest.Entry.DeletedAtMilliseconds >= _gcDeletesMilliseconds)
        {
            if (_tombstones.TryDequeue(out var expired))
            {
                // Removes the id only if the tombstone is still its latest entry.
                _entries.TryRemove(new KeyValuePair<string, VersionEntry>(expired.Id, expired.Entry));
            }
        }
    }
}
