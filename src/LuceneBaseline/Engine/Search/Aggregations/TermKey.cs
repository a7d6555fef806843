namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>A terms bucket key: a string (compared in UTF-8 byte order, as Lucene compares terms) or a number.</summary>
internal readonly record struct TermKey(string? Text, long Long, double Double) : IComparable<TermKey>
{
    public static TermKey Of(string text) => new(text, 0, 0);

    public static TermKey Of(long value) => new(null, value, value);

    public static TermKey Of(double value) => new(null, (long)value, value);

    public int CompareTo(TermKey other)
    {
        if (Text is not null && other.Text is not null)
        {
            return CompareUtf8Order(Text, other.Text);
        }

        return Double != other.Double ? Double.CompareTo(other.Double) : Long.CompareTo(other.Long);
    }

    /// <summary>UTF-16 strings in code point (UTF-8 byte) order: surrogates sort above the rest of the BMP.</summary>
    private static int CompareUtf8Order(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x != y)
            {
                return Fix(x) - Fix(y);
            }
        }

        return a.Length - b.Length;

        static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
    }
}
