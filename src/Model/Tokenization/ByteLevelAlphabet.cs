using System.Buffers;
using System.Text;

namespace Rerank.Model.Tokenization;

/// <summary>
/// GPT-2's byte-to-character map (openai/gpt-2 encoder.py <c>bytes_to_unicode</c>, Hugging Face's <c>ByteLevel</c>):
/// the printable bytes 33-126, 161-172 and 174-255 stand for themselves, the other 68 bytes, in order, for U+0100 on
/// (space 0x20 is U+0120 'Ġ'). Byte-level BPE vocabularies are written in these characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] Map = Build();

    /// <summary>
    /// Writes the byte-level form of <paramref name="text"/>'s UTF-8 bytes into a buffer from <see cref="ArrayPool{T}.Shared"/>
    /// and returns its length; the caller returns the buffer.
    /// </summary>
    internal static int Encode(ReadOnlySpan<char> text, out char[] buffer)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(text, bytes);
            buffer = ArrayPool<char>.Shared.Rent(count);
            for (var i = 0; i < count; i++)
            {
                buffer[i] = Map[bytes[i]];
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static char[] Build()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = b is (>= 33 and <= 126) or (>= 161 and <= 172) or (>= 174 and <= 255) ? (char)b : (char)next++;
        }

        return map;
    }
}
