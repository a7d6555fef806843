using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class LiveVersionMapTests
{
    [Fact]
    public void Get_TombstoneWithinGcDeletes_Kept_ThenExpires()
    {
        var map = new LiveVersionMap(TimeSpan.FromSeconds(60));
        map.Put("a", new VersionEntry(SeqNo: 4, PrimaryTerm: 1, Version: 3, Deleted: true, DeletedAtMilliseconds: 1_000, Source: null));

        Assert.Equal(3, map.Get("a", nowMilliseconds: 60_999)!.Version);
        Assert.Null(map.Get("a", nowMilliseconds: 61_000));
    }

    [Fact]
    public void PruneTombstones_Expired_RemovedButNewerEntryKept()
    {
        var map = new LiveVersionMap(TimeSpan.FromSeconds(60));
        map.Put("gone", new VersionEntry(0, 1, 1, Deleted: true, DeletedAtMilliseconds: 0, Source: null));
        map.Put("back", new VersionEntry(1, 1, 1, Deleted: true, DeletedAtMilliseconds: 0, Source: null));
        map.Put("back", new VersionEntry(2, 1, 2, Deleted: false, DeletedAtMilliseconds: 0, Source: [1]));

        map.PruneTombstones(nowMilliseconds: 60_000);

        // Through the map's own expiry Get would hide "gone" anyway; ask with a time before it expires.
        Assert.Null(map.Get("gone", nowMilliseconds: 0));
        Assert.Equal(2, map.Get("back", nowMilliseconds: 0)!.Version);
    }

    [Fact]
    public void PruneSources_UpToCheckpoint_DropsCoveredSourcesOnly()
    {
        var map = new LiveVersionMap(TimeSpan.FromSeconds(60));
        map.Put("a", new VersionEntry(0, 1, 1, false, 0, new byte[10]));
        map.Put("b", new VersionEntry(1, 1, 1, false, 0, new byte[20]));
        map.Put("c", new VersionEntry(2, 1, 1, false, 0, new byte[40]));
        Assert.Equal(70, map.PendingSourceBytes);

        map.PruneSources(checkpoint: 1);

        Assert.Null(map.Get("a", 0)!.Source);
        Assert.Null(map.Get("b", 0)!.Source);
        Assert.NotNull(map.Get("c", 0)!.Source);
        Assert.Equal(40, map.PendingSourceBytes);

        map.PruneSources(checkpoint: 2);
        Assert.Null(map.Get("c", 0)!.Source);
        Assert.Equal(0, map.PendingSourceBytes);
    }

    [Fact]
    public void LockFor_SameId_SameLock()
    {
        var map = new LiveVersionMap(TimeSpan.FromSeconds(60));

        Assert.Same(map.LockFor("doc-1"), map.LockFor(new string("doc-1".ToCharArray())));
    }
}
