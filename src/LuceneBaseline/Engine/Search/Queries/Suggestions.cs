namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// Elasticsearch's "did you mean" hints for unknown names: candidates whose Lucene Levenshtein similarity
/// (1 - edits / longer length) exceeds 0.5, best first, ties by name.
/// </summary>
internal static class Suggestions
{
    /// <summary><c>" did you mean [x]?"</c>, <c>" did you mean any of [x, y]?"</c>, or empty when nothing is close.</summary>
    public static string DidYouMean(string unknown, IEnumerable<string> candidates)
    {
        var scored = new List<(float Score, string Name)>();
        foreach (var candidate in candidates)
        {
            var score = Similarity(unknown, candidate);
            if (score > 0.5f)
            {
                scored.Add((score, candidate));
            }
        }

        if (scored.Count == 0)
        {
            return "";
        }

        scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Name, b.Name));
        return scored.Count == 1
            ? $" did you mean [{scored[0].Name}]?"
            : $" did you mean any of [{string.Join(", ", scored.Select(s => s.Name))}]?";
    }

    /// <summary>Lucene's <c>LevenshteinDistance.getDistance</c>.</summary>
    public static float Similarity(string target, string other)
    {
        if (target.Length == 0 || other.Length == 0)
        {
            return target.Length == other.Length ? 1f : 0f;
        }

        var previous = new int[target.Length + 1];
        var current = new int[target.Length + 1];
        for (var i = 0; i <= target.Length; i++)
        {
            previous[i] = i;
        }

        for (var j = 1; j <= other.Length; j++)
        {
            current[0] = j;
            for (var i = 1; i <= target.Length; i++)
            {
                var cost = target[i - 1] == other[j - 1] ? 0 : 1;
                current[i] = Math.Min(Math.Min(current[i - 1] + 1, previous[i] + 1), previous[i - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return 1.0f - ((float)previous[target.Length] / Math.Max(other.Length, target.Length));
    }
}
