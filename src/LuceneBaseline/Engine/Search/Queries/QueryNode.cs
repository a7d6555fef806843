using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// One parsed query-DSL object (Elasticsearch's <c>QueryBuilder</c>): parsing checks the JSON without looking at any
/// index, <see cref="ToQuery"/> then builds the Lucene query against one index's mapping, as Elasticsearch parses a
/// request once and builds its query on each shard. Immutable once parsed; <see cref="ToQuery"/> may run for several
/// indices, each time creating new Lucene objects.
/// </summary>
internal abstract class QueryNode
{
    /// <summary>The query's <c>boost</c> (default 1, never negative): multiplies its score.</summary>
    public float Boost { get; set; } = 1f;

    /// <summary>The Lucene query with <see cref="Boost"/> applied (Elasticsearch's <c>AbstractQueryBuilder.toQuery</c>).</summary>
    /// <exception cref="Errors.EngineException">Shard errors (<c>query_shard_exception</c>) for what the mapping rejects.</exception>
    public Query ToQuery(QueryBuildContext context)
    {
        var query = DoToQuery(context);
        if (Boost != 1f && query is not MatchNoDocsQuery)
        {
            query.Boost *= Boost;
        }

        return query;
    }

    protected abstract Query DoToQuery(QueryBuildContext context);
}
