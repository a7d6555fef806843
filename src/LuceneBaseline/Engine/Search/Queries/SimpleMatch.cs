namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>Elasticsearch's <c>Regex.simpleMatch</c>: <c>*</c> matches any run of characters (also none); nothing else is special.</summary>
internal static class SimpleMatch
{
    public static bool Matches(string pattern, string value) => Matches(pattern.AsSpan(), value.AsSpan());

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
        if (rest.IsEmpty)
        {
            return true;
        }

        var remaining = value[star..];
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
