using Lucene.Net.Analysis;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// One index as a search sees it: a point-in-time searcher (BM25 set), the mapping of that moment and the analyzer
/// that analysed its text fields. Store hands these out (leased, released after the search); Search only reads them.
/// </summary>
/// <param name="IndexName">The index name, reported as <c>_index</c> of each hit.</param>
/// <param name="Searcher">A searcher over a point-in-time reader, with the index's BM25 similarity set.</param>
/// <param name="Mapping">The mapping current when the searcher was acquired.</param>
/// <param name="Analyzer">Per-field analyzer by mapping (query text is analysed with the field's own analyzer).</param>
/// <param name="MaxResultWindow"><c>index.max_result_window</c>: <c>from + size</c> may not exceed it (default 10,000).</param>
internal sealed record SearchTarget(string IndexName, IndexSearcher Searcher, IndexMapping Mapping, Analyzer Analyzer, int MaxResultWindow)
{
    /// <summary>
    /// The index's uuid, reported as <c>index_uuid</c> in shard failures; null (the default) reports
    /// <see cref="Errors.EngineException.StableUuid"/> of the name. Store sets it to the index's uuid.
    /// </summary>
    public string? IndexUuid { get; init; }

    /// <summary>The index's position among the request's targets (the shard bits of <c>_shard_doc</c>); set by the executor.</summary>
    public int ShardRequestIndex { get; init; }

    /// <summary>How many targets the request has (slices are spread over them); set by the executor.</summary>
    public int ShardRequestCount { get; init; } = 1;

    /// <summary><c>index.highlight.max_analyzed_offset</c> of the index (default 1,000,000 characters); Store sets it.</summary>
    public int HighlightMaxAnalyzedOffset { get; init; } = 1_000_000;

    /// <summary>The filters of the aliases the index was searched through (<see cref="AliasFilters"/>); empty for none.</summary>
    public IReadOnlyList<QueryNode> AliasFilters { get; init; } = [];
}
