namespace Rerank.LuceneBaseline.Scoring;

/// <summary>
/// The one-byte field-length norm of Lucene 8 and later (<c>SmallFloat.intToByte4</c>), which Elasticsearch 8 and 9
/// store for every text field: lengths 0 to 39 exactly, longer ones as a 4-bit float (three mantissa bits), rounded
/// down. Lucene 4.8's own norm is <c>1 / sqrt(length)</c> as an 8-bit float, a coarser grid.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Byte values below <see cref="FreeValues"/> (24) stand for themselves.</item>
/// <item>Above that, <c>length - 24</c> is encoded as a small float: a value under 8 as itself ("subnormal"), else its
/// top four bits (the leading one implicit) in the low three bits and <c>shift + 1</c> above them.</item>
/// <item><see cref="FreeValues"/> is 255 minus the code of <see cref="int.MaxValue"/>, so every int has a code.</item>
/// </list>
/// </remarks>
public static class FieldLengthNorm
{
    /// <summary>Byte values that encode a length exactly without the float form: 255 minus the code of int.MaxValue.</summary>
    public const int FreeValues = 255 - 231;

    /// <summary>The largest byte whose decoded length is exact for every length that maps to it (lengths 0 to 39).</summary>
    public const int LargestExactCode = FreeValues + 15;

    /// <summary>Encodes a field length (number of tokens, at least 0) into one byte; step 2 of the remarks.</summary>
    public static byte Encode(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return length < FreeValues ? (byte)length : (byte)(FreeValues + EncodeSmallFloat(length - FreeValues));
    }

    /// <summary>The length a byte stands for: the smallest length that encodes to it.</summary>
    public static int Decode(byte code) =>
        code < FreeValues ? code : checked((int)(FreeValues + DecodeSmallFloat(code - FreeValues)));

    private static int EncodeSmallFloat(long value)
    {
        var bits = 64 - long.LeadingZeroCount(value);
        if (bits < 4)
        {
            return (int)value;
        }

        var shift = (int)bits - 4;
        // Keep the four most significant bits; the top one is implicit.
        var mantissa = (int)(value >>> shift) & 0x07;
        return mantissa | ((shift + 1) << 3);
    }

    private static long DecodeSmallFloat(int code)
    {
        long mantissa = code & 0x07;
        var shift = (code >>> 3) - 1;
        return shift == -1 ? mantissa : (mantissa | 0x08) << shift;
    }
}
