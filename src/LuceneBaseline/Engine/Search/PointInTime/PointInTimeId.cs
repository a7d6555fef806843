using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// The id a point in time is known by: URL-safe base64 (no padding) of a version byte, the context number (8 bytes,
/// big-endian) and 16 random bytes, so an id cannot be guessed from another one.
/// </summary>
/// <param name="Context">The context number (reported in <c>No search context found for id [N]</c>).</param>
/// <param name="Secret">The random part.</param>
internal readonly record struct PointInTimeId(long Context, UInt128 Secret)
{
    private const byte Version = 1;
    private const int Length = 1 + 8 + 16;

    public static PointInTimeId Create(long context)
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return new PointInTimeId(context, BinaryPrimitives.ReadUInt128BigEndian(random));
    }

    /// <summary>Decodes <paramref name="text"/>; false when it is not an id of this engine.</summary>
    public static bool TryParse(string text, out PointInTimeId id)
    {
        id = default;
        // TryDecodeFromChars throws on characters outside the alphabet; IsValid checks them and the length first.
        Span<byte> bytes = stackalloc byte[Length];
        if (text.Length > 64 || !System.Buffers.Text.Base64Url.IsValid(text, out var length) || length != Length
            || !System.Buffers.Text.Base64Url.TryDecodeFromChars(text, bytes, out _) || bytes[0] != Version)
        {
            return false;
        }

        id = new PointInTimeId(BinaryPrimitives.ReadInt64BigEndian(bytes[1..9]), BinaryPrimitives.ReadUInt128BigEndian(bytes[9..Length]));
        return true;
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..9], Context);
        BinaryPrimitives.WriteUInt128BigEndian(bytes[9..], Secret);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
