using System.Text.Json.Serialization;

namespace Rerank.LuceneBaseline.Engine.FunctionalTests;

/// <summary>
/// A SciFact abstract as the session indexes it: the corpus fields plus deterministic fields derived from them.
/// Every field may be absent in a hit whose <c>_source</c> is filtered.
/// </summary>
public sealed record Paper
{
    [JsonPropertyName("doc_id")]
    public string? DocId { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>The number of whitespace-separated words of <see cref="Text"/>.</summary>
    [JsonPropertyName("words")]
    public int Words { get; init; }

    /// <summary><c>g0</c>..<c>g4</c>: the id modulo 5.</summary>
    [JsonPropertyName("group")]
    public string? Group { get; init; }

    /// <summary>A small deterministic vector of the id (<see cref="VectorOf"/>).</summary>
    [JsonPropertyName("vector")]
    public float[]? Vector { get; init; }

    /// <summary>Three components in [-1, 1) from SplitMix64 of the id: spread over the sphere, so no two documents share a direction.</summary>
    public static float[] VectorOf(long id)
    {
        var state = unchecked((ulong)id * 0x9E3779B97F4A7C15UL);
        var vector = new float[3];
        for (var i = 0; i < vector.Length; i++)
        {
            state = unchecked(state + 0x9E3779B97F4A7C15UL);
            var z = state;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            vector[i] = (float)(((z >> 11) * (1.0 / (1UL << 53)) * 2) - 1);
        }

        return vector;
    }
}
