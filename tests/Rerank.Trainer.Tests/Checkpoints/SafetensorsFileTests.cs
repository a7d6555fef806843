using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Tests.Checkpoints;

public sealed class SafetensorsFileTests : IDisposable
{
    // a: F32 [2] = 1.0, -2.0          -> 00 00 80 3F | 00 00 00 C0
    // b: BF16 [1, 2] = 1.5, -0.25      -> 1.5 = 0x3FC00000 -> C0 3F; -0.25 = 0xBE800000 -> 80 BE
    // c: F16 [2] = 0.5, 65504          -> 0x3800 -> 00 38; 0x7BFF -> FF 7B
    // The header lists c first but its data comes last; readers go by data_offsets, not key order.
    private const string Header =
        """{"c":{"dtype":"F16","shape":[2],"data_offsets":[12,16]},"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[8,12]}}""";

    private static readonly byte[] Data = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0xC0, 0x3F, 0x80, 0xBE, 0x00, 0x38, 0xFF, 0x7B];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_HandWrittenFile_ListsTensorsInDataOrderWithShapesAndMetadata()
    {
        using var file = SafetensorsFile.Open(Write(Header, Data));

        Assert.Equal(["a", "b", "c"], file.Tensors.Select(t => t.Name));
        Assert.Equal([1L, 2L], file.Get("b").Shape);
        Assert.Equal(SafetensorsDtype.BF16, file.Get("b").Dtype);
        Assert.Equal(8 + Header.Length, file.DataOffset);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Theory]
    [InlineData("a", new[] { 1f, -2f })]
    [InlineData("b", new[] { 1.5f, -0.25f })]
    [InlineData("c", new[] { 0.5f, 65504f })]
    public void ReadSingles_EachDtype_DecodesTheHandWorkedBits(string name, float[] expected)
    {
        using var file = SafetensorsFile.Open(Write(Header, Data));

        Assert.Equal(expected, file.ReadSingles(name));
    }

    [Fact]
    public void ReadBytes_PartOfATensor_CopiesThoseBytesOnly()
    {
        using var file = SafetensorsFile.Open(Write(Header, Data));
        var destination = new byte[4];

        file.ReadBytes(file.Get("a"), 4, destination);

        Assert.Equal([0x00, 0x00, 0x00, 0xC0], destination);
    }

    [Fact]
    public void Open_EmptyTensorAndPaddedHeader_Reads()
    {
        // Trailing spaces pad the header (the reference writer aligns the data to 8 bytes); a [0] tensor takes no bytes.
        using var file = SafetensorsFile.Open(Write("""{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}   """, 0, 0, 0x80, 0x3F));

        Assert.Empty(file.ReadSingles("e"));
        Assert.Equal([1f], file.ReadSingles("s"));
    }

    public static TheoryData<string, byte[], string> Corrupt => new()
    {
        { "", [1, 2, 3], "truncated: 3 bytes, fewer than the 8-byte header length" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", [], "tensor 'a': truncated: its data ends at byte 4 of the data section, which has 0 bytes" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", [0, 0, 0, 0], "the safetensors header is not valid JSON: " },
        { "[1, 2]", [], "the safetensors header is a JSON array, not an object" },
        { """{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", new byte[8], "tensor 'a': dtype 'I64' is not supported (F32, F16 or BF16)" },
        { """{"a":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4], "tensor 'a': \"dtype\" is missing or not a string" },
        { """{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", new byte[4], "tensor 'a': \"shape\" must be an array of non-negative integers" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", new byte[4], "tensor 'a': \"data_offsets\" must be [begin, end] with 0 <= begin <= end" },
        { """{"a":{"dtype":"BF16","shape":[3],"data_offsets":[0,4]}}""", new byte[4], "tensor 'a': data_offsets [0, 4] hold 4 bytes but shape [3] of BF16 needs 6" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8], "tensors 'a' and 'b' overlap in the data section" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8], "tensor 'a' appears twice in the header" },
        { """{"__metadata__":{"format":1}}""", [], "__metadata__ entry 'format' must be a string" },
        { """{"a":[0]}""", [], "tensor 'a': the entry is not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(Corrupt))]
    public void Open_CorruptFile_FailsNamingTheFileAndTheTensor(string header, byte[] data, string expected)
    {
        var path = header.Length == 0 ? _temp.WriteBytes("x.safetensors", data) : Write(header, data);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));

        Assert.StartsWith(path + ": " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderLongerThanTheFile_IsTruncated()
    {
        var bytes = SafetensorsBytes.File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        var path = _temp.WriteBytes("x.safetensors", bytes[..^5]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));

        Assert.Equal($"{path}: truncated: the header needs 54 bytes after its 8-byte length but the file has 49", error.Message);
    }

    [Fact]
    public void Open_HugeHeaderLength_IsNotASafetensorsFile()
    {
        var path = _temp.WriteBytes("x.safetensors", [0, 0, 0, 0, 0, 0, 0, 1, (byte)'{', (byte)'}']);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));

        Assert.Equal($"{path}: header length 72057594037927936 exceeds safetensors' limit of 100000000 bytes (not a safetensors file?)", error.Message);
    }

    [Fact]
    public void Get_UnknownTensor_NamesFileAndTensor()
    {
        var path = Write(Header, Data);
        using var file = SafetensorsFile.Open(path);

        var error = Assert.Throws<InvalidDataException>(() => file.Get("model.norm.weight"));

        Assert.Equal($"{path}: tensor 'model.norm.weight' is not in the file", error.Message);
    }

    [Fact]
    public void Open_MissingFile_NamesIt()
    {
        var path = Path.Combine(_temp.Path, "absent.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(path));

        Assert.Equal($"{path}: safetensors file not found", error.Message);
    }

    private string Write(string header, params byte[] data) => _temp.WriteBytes("x.safetensors", SafetensorsBytes.File(header, data));
}
