using System.Buffers.Binary;
using System.Text.Json;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// Writes safetensors files: header keys in the order given (<c>__metadata__</c> first), data in the same order,
/// the JSON padded with spaces so the data starts at a multiple of 8 bytes (as the reference writer does). Files are
/// written to a temporary name and moved into place, so a failed write never leaves a half file under the real name.
/// </summary>
internal static class SafetensorsWriter
{
    /// <exception cref="ArgumentException">Two entries share a name, a name is empty or <c>__metadata__</c>.</exception>
    /// <exception cref="InvalidOperationException">A callback wrote another number of bytes than its shape needs; the message names the tensor.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsWriteEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entries);
        var header = Header(entries, metadata);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                var start = stream.Position;
                foreach (var entry in entries)
                {
                    entry.WriteData(stream);
                    var written = stream.Position - start;
                    if (written != entry.ByteLength)
                    {
                        throw new InvalidOperationException($"{path}: tensor '{entry.Name}': wrote {written} bytes, but shape {SafetensorsTensorInfo.FormatShape(entry.Shape)} of {entry.Dtype.HeaderName()} needs {entry.ByteLength}.");
                    }

                    start = stream.Position;
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes float32 <paramref name="values"/> as <paramref name="dtype"/>, through a small buffer.</summary>
    public static void WriteSingles(Stream stream, ReadOnlySpan<float> values, SafetensorsDtype dtype)
    {
        ArgumentNullException.ThrowIfNull(stream);
        const int ChunkElements = 1 << 16;
        var buffer = new byte[Math.Min(values.Length, ChunkElements) * dtype.Size()];
        for (var start = 0; start < values.Length; start += ChunkElements)
        {
            var count = Math.Min(ChunkElements, values.Length - start);
            var bytes = buffer.AsSpan(0, count * dtype.Size());
            FloatConversion.FromSingles(values.Slice(start, count), dtype, bytes);
            stream.Write(bytes);
        }
    }

    private static byte[] Header(IReadOnlyList<SafetensorsWriteEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            var offset = 0L;
            foreach (var entry in entries)
            {
                if (string.IsNullOrEmpty(entry.Name) || entry.Name == "__metadata__" || !names.Add(entry.Name))
                {
                    throw new ArgumentException($"Tensor name '{entry.Name}' is empty, reserved or appears twice.", nameof(entries));
                }

                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.Dtype.HeaderName());
                json.WriteStartArray("shape");
                foreach (var dimension in entry.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += entry.ByteLength;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var padding = (int)((8 - ((8 + buffer.Length) % 8)) % 8);
        for (var i = 0; i < padding; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }
}
