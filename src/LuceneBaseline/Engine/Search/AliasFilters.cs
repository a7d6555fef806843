using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>
/// Applies the filters of the aliases an index was searched through: a document must match one of them. The filter
/// does not change scores (a filter clause, as in Elasticsearch).
/// </summary>
internal static class AliasFilters
{
    /// <summary><paramref name="query"/> restricted to the target's alias filters, or unchanged when it has none.</summary>
    /// <exception cref="ShardFailureException">A filter that does not build against this index's mapping.</exception>
    public static Query Apply(Query query, SearchTarget target, DateTimeOffset now)
    {
        if (target.AliasFilters.Count == 0)
        {
            return query;
        }

        var any = new BooleanQuery(disableCoord: true);
        foreach (var filter in target.AliasFilters)
        {
            any.Add(ShardSearch.ParseQuery(filter, target, now), Occur.SHOULD);
        }

        return new FilteredQuery(query, new QueryWrapperFilter(any));
    }
}
