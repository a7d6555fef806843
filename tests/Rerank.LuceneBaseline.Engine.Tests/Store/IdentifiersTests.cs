using System.Buffers.Binary;
using System.Buffers.Text;
using Microsoft.Extensions.Time.Testing;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

public sealed class IdentifiersTests
{
    [Fact]
    public void NewIndexUuid_Is22UrlSafeCharactersOfAVersion4Uuid()
    {
        var uuids = Enumerable.Range(0, 1000).Select(_ => Identifiers.NewIndexUuid()).ToList();

        Assert.Equal(1000, uuids.Distinct(StringComparer.Ordinal).Count());
        foreach (var uuid in uuids)
        {
            Assert.Equal(22, uuid.Length);
            Assert.Matches("^[A-Za-z0-9_-]{22}$", uuid);
            var bytes = Base64Url.DecodeFromChars(uuid);
            Assert.Equal(16, bytes.Length);
            Assert.Equal(0x40, bytes[6] & 0xf0);
            Assert.Equal(0x80, bytes[8] & 0xc0);
        }
    }

    [Fact]
    public void NewDocumentId_Is20UrlSafeCharactersCarryingTheClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var identifiers = new Identifiers(time);

        var id = identifiers.NewDocumentId();

        Assert.Matches("^[A-Za-z0-9_-]{20}$", id);
        var bytes = Base64Url.DecodeFromChars(id);
        Assert.Equal(15, bytes.Length);
        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1, 8)) >> 16;
        Assert.Equal(1_700_000_000_000, milliseconds);
    }

    [Fact]
    public void NewDocumentId_ManyThreadsOneMillisecond_AllDistinct()
    {
        var identifiers = new Identifiers(new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)));
        var ids = new string[100_000];

        Parallel.For(0, ids.Length, i => ids[i] = identifiers.NewDocumentId());

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
