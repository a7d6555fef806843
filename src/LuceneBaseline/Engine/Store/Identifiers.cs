using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// Elasticsearch-style identifiers: random 22-character index uuids and 20-character time-based document ids, both
/// URL-safe base64 without padding. Thread-safe.
/// </summary>
internal sealed class Identifiers
{
    private readonly TimeProvider _time;
    private readonly byte[] _node = RandomNumberGenerator.GetBytes(6);
    private readonly Lock _lock = new();
    private long _lastMilliseconds;
    private int _sequence = RandomNumberGenerator.GetInt32(1 << 24);

    public Identifiers(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>A random index uuid: 16 random bytes with the RFC 4122 version-4 bits set (22 characters).</summary>
    public static string NewIndexUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// An auto-generated document id (15 bytes, 20 characters): a 24-bit sequence, the epoch milliseconds (48 bits) and
    /// a random per-process node part. The clock never goes back and the sequence wrapping moves it forward, so ids
    /// never repeat within a process; across processes the random node part keeps collisions out of reach.
    /// </summary>
    public string NewDocumentId()
    {
        long milliseconds;
        int sequence;
        lock (_lock)
        {
            sequence = _sequence = (_sequence + 1) & 0xffffff;
            milliseconds = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (sequence == 0)
            {
                milliseconds++;
            }

            _lastMilliseconds = milliseconds;
        }

        Span<byte> bytes = stackalloc byte[15];
        // The low sequence byte first, as Elasticsearch does, so ids made in one millisecond spread over the terms dictionary.
        bytes[0] = (byte)sequence;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..9], milliseconds << 16);
        bytes[7] = (byte)(sequence >> 16);
        bytes[8] = (byte)(sequence >> 8);
        _node.CopyTo(bytes[9..]);
        return Base64Url.EncodeToString(bytes);
    }
}
