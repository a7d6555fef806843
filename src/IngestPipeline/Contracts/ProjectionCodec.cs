using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// Writes and reads a passage projection u_p in a document under a <see cref="ProjectionEncoding"/>
/// (byte layouts in docs/index-config.md). Float16 and Int8 are base64 strings (an Elasticsearch <c>binary</c> field);
/// Float32 is a JSON array (a <c>dense_vector</c> with <c>index: false</c>).
/// </summary>
public static class ProjectionCodec
{
    public static JsonNode Encode(ReadOnlySpan<float> values, ProjectionEncoding encoding)
    {
        switch (encoding)
        {
            case ProjectionEncoding.Float32:
                var array = new JsonArray();
                foreach (var value in values)
                {
                    array.Add(value);
                }

                return array;
            case ProjectionEncoding.Float16:
                return JsonValue.Create(Convert.ToBase64String(EncodeFloat16(values)));
            case ProjectionEncoding.Int8:
                return JsonValue.Create(Convert.ToBase64String(EncodeInt8(values)));
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null);
        }
    }

    /// <summary>H little-endian halves (round to nearest even; values beyond ±65504 become ±infinity, as IEEE does).</summary>
    public static byte[] EncodeFloat16(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        }

        return bytes;
    }

    /// <summary>Symmetric per-vector quantisation: scale = max|x| / 127 (a float32, little-endian), then round(x / scale).</summary>
    public static byte[] EncodeInt8(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var value in values)
        {
            max = MathF.Max(max, MathF.Abs(value));
        }

        var scale = max / 127f;
        var bytes = new byte[4 + values.Length];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, scale);
        for (var i = 0; i < values.Length; i++)
        {
            var q = scale == 0f ? 0f : MathF.Round(values[i] / scale, MidpointRounding.ToEven);
            bytes[4 + i] = (byte)(sbyte)Math.Clamp(q, -127f, 127f);
        }

        return bytes;
    }

    /// <summary>
    /// Reads a stored projection of <paramref name="destination"/>.Length values. Returns false (and leaves the
    /// destination unspecified) when the value is missing, of the wrong JSON kind, not base64 or of the wrong length.
    /// </summary>
    public static bool TryDecode(JsonElement stored, ProjectionEncoding encoding, Span<float> destination)
    {
        if (encoding == ProjectionEncoding.Float32)
        {
            if (stored.ValueKind != JsonValueKind.Array || stored.GetArrayLength() != destination.Length)
            {
                return false;
            }

            var i = 0;
            foreach (var item in stored.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out destination[i++]))
                {
                    return false;
                }
            }

            return true;
        }

        if (stored.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        return stored.TryGetBytesFromBase64(out var bytes) && TryDecode(bytes, encoding, destination);
    }

    /// <summary>Decodes the raw bytes of a Float16 or Int8 projection.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, ProjectionEncoding encoding, Span<float> destination)
    {
        switch (encoding)
        {
            case ProjectionEncoding.Float16:
                if (bytes.Length != destination.Length * 2)
                {
                    return false;
                }

                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                return true;
            case ProjectionEncoding.Int8:
                if (bytes.Length != 4 + destination.Length)
                {
                    return false;
                }

                var scale = BinaryPrimitives.ReadSingleLittleEndian(bytes);
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = scale * (sbyte)bytes[4 + i];
                }

                return true;
            default:
                return false;
        }
    }
}
