using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucene.Net.Util;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Documents;

/// <summary>
/// The values of a <c>binary</c> field: a document's JSON strings decoded as Elasticsearch decodes them (standard
/// Base64 with padding, which Jackson's <c>MIME-NO-LINEFEEDS</c> variant reads), and the one binary doc value per
/// document that holds them all, as Elasticsearch's <c>CustomBinaryDocValuesField</c> does: sorted (unsigned bytes),
/// duplicates dropped, written as a count and then each value's length and bytes, all lengths as 7-bit varints.
/// Stateless and thread-safe.
/// </summary>
internal static class BinaryValues
{
    /// <summary>The decoded bytes of <paramref name="value"/>, or false with Jackson's reason (as Elasticsearch quotes it).</summary>
    public static bool TryDecode(JsonNode value, out byte[] bytes, out string reason)
    {
        bytes = [];
        if (value is not JsonValue scalar || scalar.GetValueKind() != JsonValueKind.String)
        {
            reason = $"Current token ({JsonTokens.Jackson(value)}) not VALUE_STRING or VALUE_EMBEDDED_OBJECT, can not access as binary";
            return false;
        }

        var text = scalar.GetValue<string>();
        const string prefix = "Failed to decode VALUE_STRING as base64 (MIME-NO-LINEFEEDS): ";
        foreach (var c in text)
        {
            if (!IsBase64Char(c) && c != '=')
            {
                reason = prefix + $"Illegal character '{c}' (code 0x{(int)c:x}) in base64 content";
                return false;
            }
        }

        if (text.Length % 4 != 0)
        {
            reason = prefix + "Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end";
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            reason = prefix + "Unexpected padding character ('=') in base64 content: padding only legal as 3rd or 4th character of the last unit";
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        reason = string.Empty;
        return true;
    }

    /// <summary>The doc value holding <paramref name="values"/>: sorted by unsigned bytes, distinct, count then length-prefixed values.</summary>
    public static BytesRef Encode(List<byte[]> values)
    {
        var sorted = new List<byte[]>(values);
        sorted.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var distinct = new List<byte[]>(sorted.Count);
        foreach (var value in sorted)
        {
            if (distinct.Count == 0 || !distinct[^1].AsSpan().SequenceEqual(value))
            {
                distinct.Add(value);
            }
        }

        using var stream = new MemoryStream();
        WriteVarint(stream, distinct.Count);
        foreach (var value in distinct)
        {
            WriteVarint(stream, value.Length);
            stream.Write(value);
        }

        return new BytesRef(stream.ToArray());
    }

    /// <summary>The values of a doc value written by <see cref="Encode"/>, each as standard Base64 (Elasticsearch's <c>DocValueFormat.BINARY</c>).</summary>
    public static List<string> DecodeToBase64(ReadOnlySpan<byte> docValue)
    {
        var result = new List<string>();
        if (docValue.IsEmpty)
        {
            return result;
        }

        var position = 0;
        var count = ReadVarint(docValue, ref position);
        for (var i = 0; i < count; i++)
        {
            var length = ReadVarint(docValue, ref position);
            result.Add(Convert.ToBase64String(docValue.Slice(position, length)));
            position += length;
        }

        return result;
    }

    private static bool IsBase64Char(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/';

    private static void WriteVarint(Stream stream, int value)
    {
        var remaining = (uint)value;
        while (remaining >= 0x80)
        {
            stream.WriteByte((byte)(remaining | 0x80));
            remaining >>= 7;
        }

        stream.WriteByte((byte)remaining);
    }

    private static int ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        var value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            if (shift > 28)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"a binary doc value's length runs past 32 bits at byte {position}"));
            }
        }
    }
}
