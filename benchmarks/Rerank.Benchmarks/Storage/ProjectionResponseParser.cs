using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Benchmarks.Storage;

/// <summary>
/// Reads the hits of a first-stage search response into what the scorer takes: the ids in hit order and their
/// projections concatenated (<c>hits * H</c> floats), as the sidecar would, through <see cref="JsonDocument"/> and
/// <see cref="ProjectionCodec.TryDecode(JsonElement, ProjectionEncoding, Span{float})"/>. Stateless and thread-safe.
/// </summary>
internal static class ProjectionResponseParser
{
    /// <summary>
    /// Fills <paramref name="ids"/> and <paramref name="projections"/> (at least hits * H floats) from
    /// <paramref name="response"/>; returns the number of hits.
    /// </summary>
    /// <exception cref="InvalidDataException">A hit without a projection that decodes to H values.</exception>
    public static int Parse(ReadOnlyMemory<byte> response, ProjectionCase projectionCase, string path, int hidden, string[] ids, float[] projections)
    {
        using var document = JsonDocument.Parse(response);
        var hits = document.RootElement.GetProperty("hits").GetProperty("hits");
        var segments = path.Split('.');
        var count = 0;
        foreach (var hit in hits.EnumerateArray())
        {
            ids[count] = hit.GetProperty("_id").GetString()!;
            var stored = Stored(hit, projectionCase.Fetch, path, segments);
            if (!ProjectionCodec.TryDecode(stored, projectionCase.Encoding, projections.AsSpan(count * hidden, hidden)))
            {
                throw new InvalidDataException($"Hit {ids[count]} has no {projectionCase.Name} projection of {hidden} values.");
            }

            count++;
        }

        return count;
    }

    private static JsonElement Stored(JsonElement hit, ProjectionFetch fetch, string path, string[] segments)
    {
        if (fetch == ProjectionFetch.Source)
        {
            var value = hit.GetProperty("_source");
            foreach (var segment in segments)
            {
                value = value.GetProperty(segment);
            }

            return value;
        }

        // fields and docvalue_fields answer arrays: a dense_vector's H numbers, or a binary field's one Base64 string.
        var values = hit.GetProperty("fields").GetProperty(path);
        return values.GetArrayLength() == 1 && values[0].ValueKind == JsonValueKind.String ? values[0] : values;
    }
}
