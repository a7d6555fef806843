using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Tests.Checkpoints;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_ThreeDtypes_GivesTheFormatsBytes()
    {
        var path = Path.Combine(_temp.Path, "w.safetensors");

        SafetensorsWriter.Write(path,
        [
            SafetensorsWriteEntry.FromSingles("w", SafetensorsDtype.F32, [2], [1f, -2f]),
            SafetensorsWriteEntry.FromSingles("b", SafetensorsDtype.BF16, [1, 2], [1.5f, -0.25f]),
            SafetensorsWriteEntry.FromSingles("h", SafetensorsDtype.F16, [2], [0.5f, 65504f]),
        ], new Dictionary<string, string> { ["format"] = "pt" });

        // An independent minimal parser: length, JSON, offsets, raw bytes.
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        var headerText = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.Equal(headerText.TrimEnd(' ').Length + (headerLength - headerText.TrimEnd(' ').Length), headerLength);
        using var header = JsonDocument.Parse(headerText);
        Assert.Equal(["__metadata__", "w", "b", "h"], header.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        var data = bytes[(8 + headerLength)..];
        Assert.Equal(16, data.Length);

        byte[] Slice(string name)
        {
            var entry = header.RootElement.GetProperty(name);
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            return data[offsets[0]..offsets[1]].ToArray();
        }

        Assert.Equal("BF16", header.RootElement.GetProperty("b").GetProperty("dtype").GetString());
        Assert.Equal([1, 2], header.RootElement.GetProperty("b").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], Slice("w"));
        Assert.Equal([0xC0, 0x3F, 0x80, 0xBE], Slice("b"));
        Assert.Equal([0x00, 0x38, 0xFF, 0x7B], Slice("h"));
    }

    [Fact]
    public void Write_CallbackWritesTooFew_FailsNamingTheTensorAndLeavesNoFile()
    {
        var path = Path.Combine(_temp.Path, "short.safetensors");

        var error = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path,
            [new SafetensorsWriteEntry("model.norm.weight", SafetensorsDtype.F32, [4], s => s.Write(new byte[12]))]));

        Assert.Equal($"{path}: tensor 'model.norm.weight': wrote 12 bytes, but shape [4] of F32 needs 16.", error.Message);
        Assert.Empty(Directory.EnumerateFiles(_temp.Path));
    }
}
