using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>One parsed aggregation with its parameters and sub-aggregations.</summary>
internal sealed record AggregationSpec
{
    public required string Name { get; init; }

    public required AggregationType Type { get; init; }

    /// <summary>Elasticsearch's name of the type (<c>terms</c>, <c>value_count</c>, ...).</summary>
    public required string TypeName { get; init; }

    /// <summary>The field, for every type but <c>filter</c>.</summary>
    public string? Field { get; init; }

    /// <summary><c>missing</c>: the value documents without the field count as, or null.</summary>
    public JsonNode? Missing { get; init; }

    /// <summary>terms: <c>size</c> (default 10).</summary>
    public int Size { get; init; } = 10;

    /// <summary>terms: <c>shard_size</c>, or null for Elasticsearch's default (<c>size * 1.5 + 10</c>).</summary>
    public int? ShardSize { get; init; }

    /// <summary>terms: <c>min_doc_count</c> (default 1).</summary>
    public long MinDocCount { get; init; } = 1;

    public IReadOnlyList<TermsOrder> Order { get; init; } = TermsOrder.Default;

    /// <summary>terms: <c>show_term_doc_count_error</c>.</summary>
    public bool ShowTermDocCountError { get; init; }

    /// <summary>filter: the query.</summary>
    public JsonObject? FilterQuery { get; init; }

    public JsonObject? Meta { get; init; }

    public IReadOnlyList<AggregationSpec> SubAggregations { get; init; } = [];
}
