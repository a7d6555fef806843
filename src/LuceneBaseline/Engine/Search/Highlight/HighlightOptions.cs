using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>
/// The options of <c>highlight</c> that may be given at the top level and per field; null means "not given here"
/// (a field inherits the top level's, the top level Elasticsearch's defaults).
/// </summary>
internal sealed record HighlightOptions
{
    public IReadOnlyList<string>? PreTags { get; init; }

    public IReadOnlyList<string>? PostTags { get; init; }

    public int? FragmentSize { get; init; }

    public int? NumberOfFragments { get; init; }

    public int? NoMatchSize { get; init; }

    /// <summary><c>order: score</c> (true) or <c>none</c> (false).</summary>
    public bool? ScoreOrdered { get; init; }

    public bool? RequireFieldMatch { get; init; }

    public QueryNode? HighlightQuery { get; init; }

    /// <summary><c>fragmenter</c>: true for <c>span</c> (the default), false for <c>simple</c>.</summary>
    public bool? SpanFragmenter { get; init; }

    /// <summary><c>max_analyzed_offset</c> from the request, or null (the index limit then fails longer texts).</summary>
    public int? MaxAnalyzedOffset { get; init; }

    /// <summary>These options, with what is not given here taken from <paramref name="parent"/>.</summary>
    public HighlightOptions InheritFrom(HighlightOptions parent) => new()
    {
        PreTags = PreTags ?? parent.PreTags,
        PostTags = PostTags ?? parent.PostTags,
        FragmentSize = FragmentSize ?? parent.FragmentSize,
        NumberOfFragments = NumberOfFragments ?? parent.NumberOfFragments,
        NoMatchSize = NoMatchSize ?? parent.NoMatchSize,
        ScoreOrdered = ScoreOrdered ?? parent.ScoreOrdered,
        RequireFieldMatch = RequireFieldMatch ?? parent.RequireFieldMatch,
        HighlightQuery = HighlightQuery ?? parent.HighlightQuery,
        SpanFragmenter = SpanFragmenter ?? parent.SpanFragmenter,
        MaxAnalyzedOffset = MaxAnalyzedOffset ?? parent.MaxAnalyzedOffset,
    };
}
