using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.IngestPipeline.Tests.Contracts;

public sealed class ProjectionCodecTests
{
    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Encode_Float16_IsBase64OfLittleEndianHalves()
    {
        // 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800 (IEEE 754 binary16), little-endian.
        var node = ProjectionCodec.Encode([1f, -2f, 0.5f], ProjectionEncoding.Float16);

        Assert.Equal(Convert.ToBase64String([0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38]), node.GetValue<string>());
    }

    [Fact]
    public void Encode_Int8_IsScaleThenRoundedQuotients()
    {
        // max |x| = 1, scale = 1/127; 1 -> 127, -0.5 -> -63.5 -> -64 (to even), 0.25 -> 31.75 -> 32.
        var bytes = ProjectionCodec.EncodeInt8([1f, -0.5f, 0.25f]);

        Assert.Equal(BitConverter.GetBytes(1f / 127f), bytes[..4]);
        Assert.Equal([0x7F, 0xC0, 0x20], bytes[4..]);
    }

    [Fact]
    public void Encode_Int8AllZero_HasZeroScaleAndDecodesToZero()
    {
        var node = ProjectionCodec.Encode([0f, 0f], ProjectionEncoding.Int8);
        var decoded = new float[2] { 9f, 9f };

        Assert.True(ProjectionCodec.TryDecode(Element($"\"{node.GetValue<string>()}\""), ProjectionEncoding.Int8, decoded));
        Assert.Equal([0f, 0f], decoded);
    }

    [Theory]
    [InlineData(ProjectionEncoding.Float32, 0.0)]
    [InlineData(ProjectionEncoding.Float16, 1.0 / 1024)]
    [InlineData(ProjectionEncoding.Int8, 1.0 / 254)]
    public void TryDecode_AfterEncode_IsWithinTheEncodingsRelativeError(ProjectionEncoding encoding, double relative)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 512).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray();
        var max = values.Max(MathF.Abs);
        var stored = Element(ProjectionCodec.Encode(values, encoding).ToJsonString());
        var decoded = new float[values.Length];

        Assert.True(ProjectionCodec.TryDecode(stored, encoding, decoded));
        for (var i = 0; i < values.Length; i++)
        {
            // Float16 rounds to 11 significant bits (relative to the value); Int8 to half a step of max/127.
            var bound = encoding == ProjectionEncoding.Int8 ? relative * max * 1.0001 : relative * Math.Abs(values[i]);
            Assert.InRange(Math.Abs(decoded[i] - values[i]), 0, bound + 1e-12);
        }
    }

    [Theory]
    [InlineData("[1, 2]", ProjectionEncoding.Float32)]
    [InlineData("[1, 2, \"x\"]", ProjectionEncoding.Float32)]
    [InlineData("\"AAAA\"", ProjectionEncoding.Float16)]
    [InlineData("\"not base64!\"", ProjectionEncoding.Float16)]
    [InlineData("[1, 2, 3]", ProjectionEncoding.Int8)]
    [InlineData("null", ProjectionEncoding.Int8)]
    public void TryDecode_WrongShape_ReturnsFalse(string json, ProjectionEncoding encoding)
    {
        Assert.False(ProjectionCodec.TryDecode(Element(json), encoding, new float[3]));
    }
}
