using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// What of <c>_source</c> a hit or a get carries (<c>_source</c>: true, false, patterns, or includes/excludes): the one
/// source filter of the search and the get, mget, update and bulk APIs, as Elasticsearch's <c>FetchSourceContext</c>.
/// </summary>
/// <param name="Fetch">Whether <c>_source</c> is returned at all.</param>
/// <param name="Includes">Patterns a path must match to be kept; empty keeps everything.</param>
/// <param name="Excludes">Patterns that remove a path.</param>
internal sealed record SourceSpec(bool Fetch, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes)
{
    public static SourceSpec All { get; } = new(true, [], []);

    public static SourceSpec None { get; } = new(false, [], []);

    public bool Filters => Includes.Count > 0 || Excludes.Count > 0;

    /// <summary>
    /// A filtered copy of <paramref name="source"/> (the input is not changed), by <see cref="SourceFilter"/>'s rules.
    /// Builds a filter per call: for one document at a time; a search filtering many hits keeps one <see cref="SourceFilter"/>.
    /// </summary>
    public JsonObject Apply(JsonObject source)
    {
        var copy = (JsonObject)source.DeepClone();
        if (Filters)
        {
            new SourceFilter(this).Apply(copy);
        }

        return copy;
    }
}
