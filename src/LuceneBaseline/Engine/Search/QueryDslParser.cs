using System.Text.Json.Nodes;
using Lucene.Net.Search;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>The query DSL (<c>match</c>, <c>bool</c>, <c>range</c>, ...) to Lucene queries.</summary>
/// <remarks>
/// Two steps, as in Elasticsearch: <see cref="ParseNode"/> checks the JSON without any index (request errors), and
/// <see cref="ToQuery"/> builds the Lucene query against one index's mapping (shard errors, see
/// <see cref="QueryErrors.IsShardFailure"/>). A search over several indices parses once and builds per index.
/// What is supported and how it scores: docs/embedded-engine-internals.md, "Query DSL". Thread-safe: no shared state.
/// </remarks>
internal static class QueryDslParser
{
    /// <summary>
    /// The Lucene query for one query-DSL object (<c>{"match": {...}}</c>) against <paramref name="target"/>'s mapping
    /// and analyzer; scores as Elasticsearch scores it under BM25. Date math's <c>now</c> is the current time.
    /// </summary>
    /// <exception cref="EngineException"><c>parsing_exception</c> for malformed or unknown queries,
    /// <c>illegal_argument_exception</c> for queries the engine does not support (naming them),
    /// <c>query_shard_exception</c> for what the index's mapping rejects.</exception>
    public static Query Parse(JsonObject query, SearchTarget target) => Parse(query, target, DateTimeOffset.UtcNow);

    /// <summary>As <see cref="Parse(JsonObject, SearchTarget)"/>, with <paramref name="now"/> as date math's <c>now</c>.</summary>
    public static Query Parse(JsonObject query, SearchTarget target, DateTimeOffset now) => ToQuery(ParseNode(query), target, now);

    /// <summary>Parses the query JSON (no index involved): Elasticsearch's request-level checks.</summary>
    /// <exception cref="EngineException">Request errors (parsing_exception, x_content_parse_exception, illegal_argument_exception, ...).</exception>
    public static QueryNode ParseNode(JsonObject query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new QueryParseContext().ParseInnerQuery(query);
    }

    /// <summary>Builds a parsed query for one index; <paramref name="now"/> is date math's <c>now</c>.</summary>
    /// <exception cref="EngineException">Shard errors (<c>query_shard_exception</c> naming the index), or the engine's own
    /// illegal_argument_exception for an unsupported analyzer.</exception>
    public static Query ToQuery(QueryNode query, SearchTarget target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            return query.ToQuery(new QueryBuildContext(target, now));
        }
        catch (BooleanQuery.TooManyClausesException e)
        {
            // Lucene 4.8 caps a boolean query at 1024 clauses (Elasticsearch's Lucene has a higher, heap-based cap).
            throw QueryErrors.Shard(target.IndexName, new EngineException(400, "too_many_clauses", e.Message));
        }
    }
}
