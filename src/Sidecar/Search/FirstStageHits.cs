using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.Search;

/// <summary>
/// The candidates of a first-stage answer: every hit in its order with its score, and for the first <c>window</c> hits
/// the stored projection when it is usable (present and decodable, every value finite, stored by the configured model, no
/// stale mark).
/// </summary>
internal sealed class FirstStageHits
{
    private FirstStageHits(JsonElement[] hits, float[] scores, int window, bool[] usable, float[] projections)
    {
        Hits = hits;
        Scores = scores;
        Window = window;
        Usable = usable;
        Projections = projections;
    }

    /// <summary>Every hit of the answer, first-stage order.</summary>
    public JsonElement[] Hits { get; }

    /// <summary>Each hit's first-stage <c>_score</c> (0 when null or absent; a score that is not a finite float makes the answer invalid).</summary>
    public float[] Scores { get; }

    /// <summary>How many hits are reranked: min(window, hits).</summary>
    public int Window { get; }

    /// <summary>Per window candidate: has a usable projection.</summary>
    public bool[] Usable { get; }

    /// <summary>The usable candidates' projections, concatenated in first-stage order.</summary>
    public float[] Projections { get; }

    public int Missing => Usable.Count(u => !u);

    /// <summary>Reads <c>hits.hits</c> of a search response; null when <paramref name="root"/> is not one.</summary>
    public static FirstStageHits? Parse(JsonElement root, RerankIndexConfig config, int projectionDim, int window)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("hits", out var outer) || outer.ValueKind != JsonValueKind.Object
            || !outer.TryGetProperty("hits", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var hits = list.EnumerateArray().ToArray();
        var scores = new float[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var hit = hits[i];
            if (hit.ValueKind != JsonValueKind.Object
                || !hit.TryGetProperty("_id", out var id) || id.ValueKind != JsonValueKind.String
                || !hit.TryGetProperty("_index", out var index) || index.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            if (hit.TryGetProperty("_score", out var score) && score.ValueKind == JsonValueKind.Number)
            {
                // Elasticsearch's scores are finite 32-bit floats: a score past that range is no search response.
                if (!score.TryGetSingle(out scores[i]) || !float.IsFinite(scores[i]))
                {
                    return null;
                }
            }
        }

        var n = Math.Min(window, hits.Length);
        var usable = new bool[n];
        var projections = new List<float>(n * projectionDim);
        var one = new float[projectionDim];
        for (var i = 0; i < n; i++)
        {
            if (TryProjection(hits[i], config, one) && AllFinite(one))
            {
                usable[i] = true;
                projections.AddRange(one);
            }
        }

        return new FirstStageHits(hits, scores, n, usable, [.. projections]);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryProjection(JsonElement hit, RerankIndexConfig config, Span<float> destination)
    {
        if (!hit.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        // A stale mark, or vectors of another model, make the stored projection unusable.
        if (fields.TryGetProperty(config.Fields.Stale, out var stale) && stale.ValueKind == JsonValueKind.Array && stale.GetArrayLength() > 0)
        {
            return false;
        }

        if (!fields.TryGetProperty(config.Fields.Model, out var model) || model.ValueKind != JsonValueKind.Array
            || model.GetArrayLength() != 1 || model[0].ValueKind != JsonValueKind.String || model[0].GetString() != config.ModelId)
        {
            return false;
        }

        if (!fields.TryGetProperty(config.Fields.Projection, out var projection) || projection.ValueKind != JsonValueKind.Array
            || projection.GetArrayLength() == 0)
        {
            return false;
        }

        if (config.ProjectionEncoding == ProjectionEncoding.Float32)
        {
            // `fields` gives a dense_vector as its values, or as one array of them.
            var values = projection.GetArrayLength() == 1 && projection[0].ValueKind == JsonValueKind.Array ? projection[0] : projection;
            return ProjectionCodec.TryDecode(values, ProjectionEncoding.Float32, destination);
        }

        // Binary doc values: one base64 string.
        return projection.GetArrayLength() == 1 && ProjectionCodec.TryDecode(projection[0], config.ProjectionEncoding, destination);
    }
}
