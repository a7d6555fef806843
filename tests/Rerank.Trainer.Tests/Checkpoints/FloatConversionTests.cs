using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Tests.Checkpoints;

public sealed class FloatConversionTests
{
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0: exact
    [InlineData(0x80000000u, (ushort)0x8000)] // -0.0 keeps its sign
    [InlineData(0x3F808000u, (ushort)0x3F80)] // exactly halfway, lower kept bit 0: stays (ties to even)
    [InlineData(0x3F818000u, (ushort)0x3F82)] // exactly halfway, lower kept bit 1: rounds up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above halfway: up
    [InlineData(0x3F807FFFu, (ushort)0x3F80)] // just below halfway: down
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue rounds to +infinity
    [InlineData(0x7F800000u, (ushort)0x7F80)] // +infinity
    [InlineData(0x7FA00000u, (ushort)0x7FC0)] // a signalling NaN becomes the quiet NaN (as c10::BFloat16)
    [InlineData(0xFFC00001u, (ushort)0x7FC0)] // any NaN, sign and payload dropped
    [InlineData(0x00000001u, (ushort)0x0000)] // the smallest subnormal float rounds to zero
    public void SingleToBFloat16_RoundsToNearestEven(uint floatBits, ushort expected)
    {
        Assert.Equal(expected, FloatConversion.SingleToBFloat16(BitConverter.UInt32BitsToSingle(floatBits)));
    }

    [Theory]
    [InlineData((ushort)0x3F80, 1f)]
    [InlineData((ushort)0xC040, -3f)]
    [InlineData((ushort)0x3EAB, 0.333984375f)] // 0x3EAB0000: 1.3359375 * 2^-2
    [InlineData((ushort)0x0001, 9.18354962e-41f)] // the smallest bf16 subnormal, 2^-133
    public void BFloat16ToSingle_IsTheUpperHalf(ushort bits, float expected)
    {
        Assert.Equal(expected, FloatConversion.BFloat16ToSingle(bits));
    }

    [Theory]
    [InlineData(1f, (ushort)0x3C00)]
    [InlineData(-2f, (ushort)0xC000)]
    [InlineData(65504f, (ushort)0x7BFF)] // the largest half
    [InlineData(65519.99f, (ushort)0x7BFF)] // below the halfway point to 65536: down
    [InlineData(65520f, (ushort)0x7C00)] // halfway between 65504 and 65536 (not representable): even = infinity
    [InlineData(5.96046448e-8f, (ushort)0x0001)] // 2^-24, the smallest subnormal half
    [InlineData(2.98023224e-8f, (ushort)0x0000)] // 2^-25, halfway to 2^-24: ties to even = 0
    [InlineData(0.333333343f, (ushort)0x3555)] // 1/3 -> 0x3555 = 0.333251953125
    public void SingleToHalf_RoundsToNearestEven(float value, ushort expected)
    {
        Assert.Equal(expected, FloatConversion.SingleToHalf(value));
    }

    [Theory]
    [InlineData((ushort)0x3555, 0.333251953125f)]
    [InlineData((ushort)0x0001, 5.96046448e-8f)]
    [InlineData((ushort)0x7C00, float.PositiveInfinity)]
    public void HalfToSingle_IsExact(ushort bits, float expected)
    {
        Assert.Equal(expected, FloatConversion.HalfToSingle(bits));
    }

    [Fact]
    public void FromSingles_ThenToSingles_LittleEndianBytes()
    {
        var bytes = new byte[4];

        FloatConversion.FromSingles([1.5f, -0.25f], SafetensorsDtype.BF16, bytes);
        var back = new float[2];
        FloatConversion.ToSingles(bytes, SafetensorsDtype.BF16, back);

        Assert.Equal([0xC0, 0x3F, 0x80, 0xBE], bytes);
        Assert.Equal([1.5f, -0.25f], back);
    }
}
