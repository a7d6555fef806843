using System.Globalization;

namespace Rerank.IngestPipeline.Backfill;

/// <summary>One slice <c>i/n</c> of a sliced point in time: slice <see cref="Id"/> (0-based) of <see cref="Max"/>.</summary>
public sealed record ScanSlice(int Id, int Max)
{
    /// <summary>Parses <c>i/n</c> with 0 &lt;= i &lt; n and n &gt;= 2 (Elasticsearch's rule: "max must be greater than 1").</summary>
    /// <exception cref="ArgumentException">The text is not of that form; the message says what is expected.</exception>
    public static ScanSlice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            throw new ArgumentException($"--slice must be i/n (slice i of n, counting from 0), got [{text}]");
        }

        if (max < 2 || id >= max)
        {
            throw new ArgumentException($"--slice {text}: n must be at least 2 and i from 0 to n - 1");
        }

        return new ScanSlice(id, max);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}/{Max}");
}
