namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>What of <c>_source</c> a hit carries (<c>_source</c>: true, false, patterns, or includes/excludes).</summary>
/// <param name="Fetch">Whether <c>_source</c> is returned at all.</param>
/// <param name="Includes">Patterns a path must match to be kept; empty keeps everything.</param>
/// <param name="Excludes">Patterns that remove a path.</param>
internal sealed record SourceSpec(bool Fetch, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes)
{
    public static SourceSpec All { get; } = new(true, [], []);

    public static SourceSpec None { get; } = new(false, [], []);

    public bool Filters => Includes.Count > 0 || Excludes.Count > 0;
}
