using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>
/// One aggregation's result for one index, before the results of all indices are reduced into the response
/// (Elasticsearch's shard-level <c>InternalAggregation</c>). Which members are used depends on the type.
/// </summary>
internal sealed class AggregationPartial(AggregationSpec spec)
{
    public AggregationSpec Spec { get; } = spec;

    /// <summary>The field's mapping in this index, or null when unmapped (or for filter).</summary>
    public FieldMapping? Field { get; set; }

    /// <summary>Metrics: the number of values (value_count, avg, stats).</summary>
    public long Count { get; set; }

    public double Sum { get; set; }

    public double Min { get; set; } = double.PositiveInfinity;

    public double Max { get; set; } = double.NegativeInfinity;

    /// <summary>cardinality: the distinct values.</summary>
    public HashSet<TermKey> Distinct { get; } = [];

    /// <summary>filter and missing: the number of documents in the bucket.</summary>
    public long DocCount { get; set; }

    /// <summary>filter and missing: the sub-aggregations.</summary>
    public Dictionary<string, AggregationPartial> Subs { get; set; } = [];

    /// <summary>terms: the buckets, in the order of the aggregation.</summary>
    public List<TermsBucket> Buckets { get; set; } = [];

    /// <summary>terms: documents in buckets this index did not return.</summary>
    public long OtherDocCount { get; set; }

    /// <summary>terms: the largest count a bucket missing from this index's list could have (-1: unknown).</summary>
    public long DocCountError { get; set; }

    public TermKeyKind KeyKind { get; set; }
}
