using System.Buffers.Binary;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// Conversions between float32 and the checkpoint element types, bit-exact with PyTorch's: float16 and bfloat16 to
/// float32 are exact; float32 to either rounds to nearest, ties to even.
/// </summary>
/// <remarks>
/// bfloat16 is the upper half of a binary32. Narrowing follows c10::BFloat16's <c>round_to_nearest_even</c>:
/// add <c>0x7FFF</c> plus the lowest kept bit, keep the upper 16 bits; overflow rounds to infinity; every NaN becomes
/// the quiet NaN <c>0x7FC0</c>. float16 uses .NET's <see cref="Half"/> conversion (IEEE 754 round to nearest even,
/// overflow to infinity, subnormals kept), which is what PyTorch's <c>.half()</c> does on CPU.
/// Bytes are little-endian, as safetensors stores them.
/// </remarks>
internal static class FloatConversion
{
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static ushort SingleToBFloat16(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Decodes <paramref name="destination"/>.Length elements of <paramref name="dtype"/> from little-endian <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> does not hold exactly that many elements.</exception>
    public static void ToSingles(ReadOnlySpan<byte> source, SafetensorsDtype dtype, Span<float> destination)
    {
        if (source.Length != (long)destination.Length * dtype.Size())
        {
            throw new ArgumentException($"{source.Length} bytes of {dtype.HeaderName()} are not {destination.Length} elements.", nameof(source));
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                SafetensorsDtype.F32 => BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]),
                SafetensorsDtype.F16 => HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..])),
                _ => BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..])),
            };
        }
    }

    /// <summary>Encodes <paramref name="source"/> as little-endian <paramref name="dtype"/> (rounding as the remarks say).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the encoded size.</exception>
    public static void FromSingles(ReadOnlySpan<float> source, SafetensorsDtype dtype, Span<byte> destination)
    {
        if (destination.Length != (long)source.Length * dtype.Size())
        {
            throw new ArgumentException($"{destination.Length} bytes cannot hold {source.Length} elements of {dtype.HeaderName()}.", nameof(destination));
        }

        for (var i = 0; i < source.Length; i++)
        {
            switch (dtype)
            {
                case SafetensorsDtype.F32:
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], source[i]);
                    break;
                case SafetensorsDtype.F16:
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], SingleToHalf(source[i]));
                    break;
                default:
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], SingleToBFloat16(source[i]));
                    break;
            }
        }
    }
}
