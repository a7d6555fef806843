namespace Rerank.LuceneBaseline.Engine.Search.Aggregations;

/// <summary>One criterion of a terms aggregation's <c>order</c>: <c>_count</c>, <c>_key</c> or a sub-aggregation's value.</summary>
/// <param name="Key"><c>_count</c>, <c>_key</c>, a single-value sub-aggregation name, or <c>stats_name.metric</c>.</param>
/// <param name="Ascending">The direction.</param>
internal sealed record TermsOrder(string Key, bool Ascending)
{
    public static IReadOnlyList<TermsOrder> Default { get; } = [new("_count", false)];
}
