namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Elasticsearch's simple wildcard match (<c>Regex.simpleMatch</c>): <c>*</c> matches any run of characters (also none),
/// dots included; nothing else is special and the comparison is ordinal. The one matcher of the engine's single-string
/// wildcards: index expressions, field patterns, <c>filter_path</c> segments and <c>_cat</c> columns. Source filtering
/// matches the same patterns as paths, incrementally, with <see cref="GlobAutomaton"/>. Stateless and thread-safe.
/// </summary>
internal static class Glob
{
    public static bool HasWildcard(string pattern) => pattern.Contains('*', StringComparison.Ordinal);

    public static bool IsMatch(string pattern, string text)
    {
        // Greedy matching with backtracking to the last star: linear for the patterns requests use, and no recursion.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
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
