using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;
using Rerank.LuceneBaseline.Engine.Search.Highlight;
using Rerank.LuceneBaseline.Engine.Search.PointInTime;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// A <c>_search</c> request after the body and the URL parameters are merged (URL parameters win, a URL <c>sort</c> is
/// appended), with Elasticsearch's defaults filled in. Built by <see cref="SearchRequestParser"/>.
/// </summary>
internal sealed record SearchRequest
{
    /// <summary>Elasticsearch's default <c>track_total_hits</c>: count exactly up to 10,000.</summary>
    public const int DefaultTrackTotalHitsUpTo = 10_000;

    /// <summary><c>track_total_hits: true</c>.</summary>
    public const int TrackTotalHitsAccurate = int.MaxValue;

    /// <summary><c>track_total_hits: false</c>.</summary>
    public const int TrackTotalHitsDisabled = -1;

    /// <summary>The parsed <c>query</c>, or null for none (match_all, unless only knn is given).</summary>
    public QueryNode? Query { get; init; }

    /// <summary>
    /// Date math's <c>now</c>: one instant for the whole request, every index and every query in it. The executor sets it
    /// from <see cref="Time"/> when the request starts.
    /// </summary>
    public DateTimeOffset Now { get; init; } = TimeProvider.System.GetUtcNow();

    /// <summary>The clock of <c>took</c>, <c>timeout</c> and <see cref="Now"/>. Default the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The <c>q</c> URL parameter (Lucene query syntax subset), or null.</summary>
    public UrlQuery? UrlQuery { get; init; }

    public IReadOnlyList<KnnClause> Knn { get; init; } = [];

    public int From { get; init; }

    public int Size { get; init; } = 10;

    /// <summary>The sort clauses, or null for the default (score descending).</summary>
    public IReadOnlyList<SortClause>? Sort { get; init; }

    public JsonArray? SearchAfter { get; init; }

    public SourceSpec Source { get; init; } = SourceSpec.All;

    /// <summary>Whether <c>_source</c> was given explicitly (matters with <c>stored_fields</c>).</summary>
    public bool SourceGiven { get; init; }

    public IReadOnlyList<FieldRequest> Fields { get; init; } = [];

    public IReadOnlyList<FieldRequest> DocValueFields { get; init; } = [];

    /// <summary>Count hits exactly up to this number; <see cref="TrackTotalHitsDisabled"/> for none.</summary>
    public int TrackTotalHitsUpTo { get; init; } = DefaultTrackTotalHitsUpTo;

    public float? MinScore { get; init; }

    public IReadOnlyList<AggregationSpec> Aggregations { get; init; } = [];

    public bool Version { get; init; }

    public bool SeqNoPrimaryTerm { get; init; }

    public bool TrackScores { get; init; }

    public bool Explain { get; init; }

    public QueryNode? PostFilter { get; init; }

    /// <summary>The <c>highlight</c> section, or null for none.</summary>
    public HighlightSpec? Highlight { get; init; }

    /// <summary>The search timeout, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary><c>terminate_after</c>: stop after collecting this many documents per index; 0 for no limit.</summary>
    public int TerminateAfter { get; init; }

    /// <summary><c>stored_fields: _none_</c>: hits carry neither <c>_id</c> nor <c>_source</c>.</summary>
    public bool StoredFieldsNone { get; init; }

    /// <summary>Whether <c>stored_fields</c> names fields and not <c>_source</c> (the engine stores none but <c>_id</c> and <c>_source</c>), so <c>_source</c> is left out.</summary>
    public bool StoredFieldsGiven { get; init; }

    public bool RestTotalHitsAsInt { get; init; }

    public bool TypedKeys { get; init; }

    public bool AllowPartialSearchResults { get; init; } = true;

    /// <summary><c>search_type=dfs_query_then_fetch</c>: term statistics are summed over all indices before scoring.</summary>
    public bool Dfs { get; init; }

    /// <summary>The <c>pit</c> section: search this point in time instead of the indices of the path.</summary>
    public PointInTimeSpec? PointInTime { get; init; }

    /// <summary>The <c>slice</c> section (with a point in time only).</summary>
    public SliceSpec? Slice { get; init; }
}
