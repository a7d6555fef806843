using System.Text.Json;
using Rerank.IngestPipeline.Contracts;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// The stored values a first stage asks for so its hits can be reranked (docs/search.md "Two phases"): the projection,
/// the model id and the stale mark. A binary projection (<c>float16</c>, <c>int8</c>) and the keywords come from doc
/// values (<c>docvalue_fields</c>); a <c>float32</c> <c>dense_vector</c> projection comes through <c>fields</c>.
/// </summary>
internal sealed record RerankFetchFields(IReadOnlyList<string> DocValueFields, IReadOnlyList<string> Fields)
{
    public static RerankFetchFields For(RerankIndexConfig config)
    {
        var stored = config.Fields;
        return config.ProjectionEncoding == ProjectionEncoding.Float32
            ? new RerankFetchFields([stored.Model, stored.Stale], [stored.Projection])
            : new RerankFetchFields([stored.Projection, stored.Model, stored.Stale], []);
    }

    /// <summary>Every path requested, in the order <c>docvalue_fields</c> then <c>fields</c>.</summary>
    public IEnumerable<string> All => DocValueFields.Concat(Fields);

    /// <summary>
    /// The field names or patterns of a user's <c>fields</c> or <c>docvalue_fields</c> array: its strings and the
    /// <c>field</c> of its objects (<c>{"field": "date", "format": "epoch_millis"}</c>).
    /// </summary>
    public static List<string> Requested(JsonElement array)
    {
        var names = new List<string>();
        foreach (var entry in array.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String)
            {
                names.Add(entry.GetString()!);
            }
            else if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String)
            {
                names.Add(field.GetString()!);
            }
        }

        return names;
    }

    /// <summary>True when one of <paramref name="patterns"/> (names with <c>*</c> wildcards, as both options take) matches <paramref name="path"/>.</summary>
    public static bool IsCovered(string path, IEnumerable<string> patterns) => patterns.Any(p => Matches(p, path));

    private static bool Matches(string pattern, string path)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return pattern == path;
        }

        // Iterative glob match with '*' only: the last star's position is remembered and retried one character further.
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < path.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (p < pattern.Length && pattern[p] == path[s])
            {
                p++;
                s++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
