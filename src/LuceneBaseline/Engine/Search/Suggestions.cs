namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Elasticsearch's "did you mean" hints: candidates whose normalised Levenshtein similarity to the unknown name is
/// above 0.5 (Lucene's <c>LevenshteinDistance</c>: 1 - edits / longer length), best first, ties by name.
/// </summary>
internal static class Suggestions
{
    /// <summary>The candidates that qualify, best first.</summary>
    public static List<string> Similar(string unknown, IEnumerable<string> candidates)
    {
        var scored = new List<(float Similarity, string Name)>();
        foreach (var candidate in candidates)
        {
            var similarity = Similarity(unknown, candidate);
            if (similarity > 0.5f)
            {
                scored.Add((similarity, candidate));
            }
        }

        scored.Sort((a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : string.CompareOrdinal(a.Name, b.Name));
        return scored.ConvertAll(s => s.Name);
    }

    /// <summary><c>" did you mean [x]?"</c>, <c>" did you mean any of [x, y]?"</c>, or empty (parsers' wording).</summary>
    public static string DidYouMean(string unknown, IEnumerable<string> candidates)
    {
        var similar = Similar(unknown, candidates);
        return similar.Count switch
        {
            0 => string.Empty,
            1 => $" did you mean [{similar[0]}]?",
            _ => $" did you mean any of [{string.Join(", ", similar)}]?",
        };
    }

    /// <summary>Lucene's normalised Levenshtein similarity: 1 for equal strings, 0 when either is empty and they differ.</summary>
    public static float Similarity(string target, string other)
    {
        var n = target.Length;
        var m = other.Length;
        if (n == 0 || m == 0)
        {
            return n == m ? 1f : 0f;
        }

        var previous = new int[n + 1];
        var current = new int[n + 1];
        for (var i = 0; i <= n; i++)
        {
            previous[i] = i;
        }

        for (var j = 1; j <= m; j++)
        {
            var c = other[j - 1];
            current[0] = j;
            for (var i = 1; i <= n; i++)
            {
                var cost = target[i - 1] == c ? 0 : 1;
                current[i] = Math.Min(Math.Min(current[i - 1] + 1, previous[i] + 1), previous[i - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return 1.0f - ((float)previous[n] / Math.Max(m, n));
    }
}
