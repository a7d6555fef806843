namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Simple <c>*</c> wildcards, as Elasticsearch matches index names and filter paths.</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string value) => Matches(pattern.AsSpan(), value.AsSpan());

    /// <summary>Whether some string that starts with <paramref name="prefix"/> matches <paramref name="pattern"/>.</summary>
    public static bool MatchesSomeExtension(string pattern, string prefix) => MatchesPrefix(pattern.AsSpan(), prefix.AsSpan());

    private static bool MatchesPrefix(ReadOnlySpan<char> pattern, ReadOnlySpan<char> prefix)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*')
            {
                // A star can take the rest of the prefix, or part of it and let the pattern go on.
                for (var j = i; j <= prefix.Length; j++)
                {
                    if (MatchesPrefix(pattern[(i + 1)..], prefix[j..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (i >= prefix.Length)
            {
                return true;
            }

            if (pattern[i] != prefix[i])
            {
                return false;
            }
        }

        return pattern.Length >= prefix.Length;
    }

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern.SequenceEqual(value);
        }

        if (!value.StartsWith(pattern[..star]))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        var remaining = value[star..];
        if (rest.IsEmpty)
        {
            return true;
        }

        for (var i = 0; i <= remaining.Length; i++)
        {
            if (Matches(rest, remaining[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
