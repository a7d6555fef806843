using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>An aggregation checked against one index's mapping, with its filter query built.</summary>
/// <param name="Spec">The parsed aggregation.</param>
/// <param name="Field">The field's mapping in this index, or null when unmapped (or for filter).</param>
/// <param name="Filter">filter: the Lucene query.</param>
/// <param name="Children">The sub-aggregations.</param>
internal sealed record PreparedAggregation(AggregationSpec Spec, FieldMapping? Field, Query? Filter, IReadOnlyList<PreparedAggregation> Children);
