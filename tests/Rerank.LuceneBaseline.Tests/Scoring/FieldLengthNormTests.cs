using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Tests.Scoring;

public sealed class FieldLengthNormTests
{
    [Theory]
    // Lengths 0-39 keep their value.
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 1)]
    [InlineData(23, 23, 23)]
    [InlineData(24, 24, 24)]
    [InlineData(39, 39, 39)]
    // 40 - 24 = 16 = 10000b: shift 1, mantissa bits 000, code 24 + (0 | 2 << 3) = 40.
    [InlineData(40, 40, 40)]
    // 41 - 24 = 17 = 10001b: the last bit is dropped, so 41 reads back as 40.
    [InlineData(41, 40, 40)]
    // 45 - 24 = 21 = 10101b: shift 1, 1010b -> mantissa 010b, code 24 + (2 | 2 << 3) = 42, read back 24 + 20 = 44.
    [InlineData(45, 42, 44)]
    // 100 - 24 = 76 = 1001100b: shift 3, 1001b -> mantissa 001b, code 24 + (1 | 4 << 3) = 57, read back 24 + 72 = 96.
    [InlineData(100, 57, 96)]
    // The largest int: 2147483623 keeps 1111b at shift 27, code 255, read back 24 + (15 << 27).
    [InlineData(int.MaxValue, 255, 2_013_265_944)]
    public void Encode_HandWorkedLengths_GiveTheCodeAndDecodedLength(int length, int code, int decoded)
    {
        Assert.Equal(code, FieldLengthNorm.Encode(length));
        Assert.Equal(decoded, FieldLengthNorm.Decode((byte)code));
    }

    [Fact]
    public void Encode_AllLengthsUpTo100000_MonotoneAndRoundedDown()
    {
        var previous = 0;
        for (var length = 0; length <= 100_000; length++)
        {
            var code = FieldLengthNorm.Encode(length);
            var decoded = FieldLengthNorm.Decode(code);
            Assert.True(code >= previous, $"code of {length} fell");
            Assert.InRange(decoded, 0, length);
            // Four significant bits of length - 24: at most 1/8 below the true excess.
            Assert.True(length - decoded <= Math.Max(0, (length - 24) / 8), $"{length} read back as {decoded}");
            Assert.Equal(code, FieldLengthNorm.Encode(decoded));
            previous = code;
        }
    }

    [Fact]
    public void Decode_EveryCode_IsTheSmallestLengthWithThatCode()
    {
        for (var code = 1; code < 256; code++)
        {
            var length = FieldLengthNorm.Decode((byte)code);
            Assert.Equal(code, FieldLengthNorm.Encode(length));
            Assert.Equal(code - 1, FieldLengthNorm.Encode(length - 1));
        }
    }

    [Fact]
    public void Encode_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FieldLengthNorm.Encode(-1));
    }
}
