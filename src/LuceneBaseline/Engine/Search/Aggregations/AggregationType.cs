namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>The aggregation types the engine implements.</summary>
internal enum AggregationType
{
    Terms,
    Filter,
    Missing,
    Min,
    Max,
    Avg,
    Sum,
    ValueCount,
    Cardinality,
    Stats,
}
