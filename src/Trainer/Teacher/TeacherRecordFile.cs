using System.Buffers.Binary;
using System.Text;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// The records file of a teacher store or shard (<c>.bin</c> beside its <c>.json</c> header; docs/training.md, "Teacher"):
/// chunks, each flushed whole, of records in ascending (query id, passage id) ordinal order, all little-endian.
/// </summary>
/// <remarks>
/// Chunk: uint32 magic <c>0x4B4E4843</c> ("CHNK"), int32 record count, int64 payload bytes, the payload.
/// Record: int32 byte length and UTF-8 bytes of the query id, the same for the passage id, float32 logit (z_yes - z_no),
/// then <c>feature_dim</c> values of y^T in <c>feature_dtype</c> (float16 or float32; nothing when there are no features).
/// A chunk cut short (a run killed while writing) is incomplete; <see cref="Scan"/> stops before it and a resumed run
/// truncates it away.
/// </remarks>
internal static class TeacherRecordFile
{
    public const uint ChunkMagic = 0x4B4E4843;
    public const int ChunkHeaderBytes = 16;

    /// <summary>One record as read: its key, logit and where its features start in the file.</summary>
    internal readonly record struct Entry(string QueryId, string PassageId, float Logit, long FeatureOffset);

    /// <summary>Encodes one chunk of records.</summary>
    public static byte[] EncodeChunk(IReadOnlyList<(string QueryId, string PassageId, TeacherOutput Output)> records, TeacherStoreHeader header)
    {
        using var payload = new MemoryStream();
        Span<byte> four = stackalloc byte[4];
        foreach (var (queryId, passageId, output) in records)
        {
            foreach (var id in new[] { queryId, passageId })
            {
                var bytes = Encoding.UTF8.GetBytes(id);
                BinaryPrimitives.WriteInt32LittleEndian(four, bytes.Length);
                payload.Write(four);
                payload.Write(bytes);
            }

            BinaryPrimitives.WriteSingleLittleEndian(four, output.Logit);
            payload.Write(four);
            if (header.FeatureDim is { } dim)
            {
                var features = output.Features;
                if (features is null || features.Length != dim)
                {
                    throw new ArgumentException($"The record ({queryId}, {passageId}) has {features?.Length ?? 0} feature values; the store holds {dim}.", nameof(records));
                }

                foreach (var value in features)
                {
                    if (header.FeatureBytes == 2)
                    {
                        BinaryPrimitives.WriteHalfLittleEndian(four, (Half)value);
                        payload.Write(four[..2]);
                    }
                    else
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(four, value);
                        payload.Write(four);
                    }
                }
            }
        }

        var chunk = new byte[ChunkHeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(chunk, ChunkMagic);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4), records.Count);
        BinaryPrimitives.WriteInt64LittleEndian(chunk.AsSpan(8), payload.Length);
        payload.GetBuffer().AsSpan(0, (int)payload.Length).CopyTo(chunk.AsSpan(ChunkHeaderBytes));
        return chunk;
    }

    /// <summary>
    /// Reads every complete chunk of <paramref name="path"/>: the records in file order and the byte length of the complete
    /// part (where an incomplete chunk, if any, starts).
    /// </summary>
    /// <exception cref="InvalidDataException">A chunk or record is malformed (not merely cut short); the message names the file and offset.</exception>
    public static (List<Entry> Entries, long CompleteBytes) Scan(string path, TeacherStoreHeader header)
    {
        var entries = new List<Entry>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = stream.Length;
        long at = 0;
        var chunkHeader = new byte[ChunkHeaderBytes];
        var featureBytes = (header.FeatureDim ?? 0) * header.FeatureBytes;
        while (length - at >= ChunkHeaderBytes)
        {
            stream.Position = at;
            stream.ReadExactly(chunkHeader);
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader);
            var count = BinaryPrimitives.ReadInt32LittleEndian(chunkHeader.AsSpan(4));
            var bytes = BinaryPrimitives.ReadInt64LittleEndian(chunkHeader.AsSpan(8));
            if (magic != ChunkMagic || count < 0 || bytes < 0 || bytes > int.MaxValue)
            {
                throw new InvalidDataException($"{path}: offset {at}: not a chunk header");
            }

            if (length - at - ChunkHeaderBytes < bytes)
            {
                break;
            }

            var payload = new byte[bytes];
            stream.ReadExactly(payload);
            var offset = 0;
            string Id()
            {
                var size = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(offset));
                offset += 4;
                if (size < 0 || size > payload.Length - offset)
                {
                    throw new InvalidDataException($"{path}: chunk at offset {at}: an id length runs past the chunk");
                }

                var id = Encoding.UTF8.GetString(payload, offset, size);
                offset += size;
                return id;
            }

            try
            {
                for (var i = 0; i < count; i++)
                {
                    var queryId = Id();
                    var passageId = Id();
                    var logit = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(offset));
                    offset += 4;
                    entries.Add(new Entry(queryId, passageId, logit, at + ChunkHeaderBytes + offset));
                    offset += featureBytes;
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new InvalidDataException($"{path}: chunk at offset {at}: its {count} records run past its {bytes} bytes");
            }

            if (offset != bytes)
            {
                throw new InvalidDataException($"{path}: chunk at offset {at}: its {count} records take {offset} of its {bytes} bytes");
            }

            at += ChunkHeaderBytes + bytes;
        }

        return (entries, at);
    }

    /// <summary>Reads the features of the record whose features start at <paramref name="offset"/>.</summary>
    public static float[] ReadFeatures(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, TeacherStoreHeader header)
    {
        var dim = header.FeatureDim ?? throw new InvalidOperationException("The store holds no features.");
        var bytes = new byte[dim * header.FeatureBytes];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), offset + read);
            read += n > 0 ? n : throw new InvalidDataException($"The records file ends inside the features at offset {offset}.");
        }

        var values = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            values[i] = header.FeatureBytes == 2
                ? (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(2 * i))
                : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        }

        return values;
    }
}
