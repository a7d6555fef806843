using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Search.Aggregations;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>The query phase of one index: its hit count, best hits and aggregation partials.</summary>
internal sealed class ShardResult
{
    public required int TargetIndex { get; init; }

    public required SearchTarget Target { get; init; }

    /// <summary>The searcher the query ran with (the index's own, or its DFS variant).</summary>
    public required IndexSearcher Searcher { get; init; }

    /// <summary>The query that was run (for <c>explain</c>).</summary>
    public required Query Query { get; init; }

    public required long TotalHits { get; init; }

    /// <summary>The best score among all hits, NaN when unscored.</summary>
    public required float MaxScore { get; init; }

    /// <summary>The best <c>from + size</c> hits, best first.</summary>
    public required List<ShardHit> Hits { get; init; }

    /// <summary>The sort resolved for this index, or null when sorting by score only.</summary>
    public ResolvedSort[]? Sorts { get; init; }

    public Dictionary<string, AggregationPartial>? Aggregations { get; init; }

    /// <summary>Reads <c>fields</c> and <c>docvalue_fields</c> for this index's hits.</summary>
    public required FieldsFetcher Fields { get; init; }

    public bool TimedOut { get; init; }

    public bool TerminatedEarly { get; init; }
}
