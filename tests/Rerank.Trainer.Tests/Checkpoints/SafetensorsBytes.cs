using System.Text;

namespace Rerank.Trainer.Tests.Checkpoints;

/// <summary>Builds safetensors files byte by byte, independently of the writer under test.</summary>
internal static class SafetensorsBytes
{
    /// <summary>8-byte little-endian header length, the header's UTF-8 bytes, then <paramref name="data"/>.</summary>
    public static byte[] File(string header, params byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var length = (ulong)json.Length;
        var bytes = new List<byte>();
        for (var i = 0; i < 8; i++)
        {
            bytes.Add((byte)(length >> (8 * i)));
        }

        bytes.AddRange(json);
        bytes.AddRange(data);
        return [.. bytes];
    }
}
