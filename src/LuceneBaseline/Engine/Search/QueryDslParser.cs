using System.Text.Json.Nodes;
using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>The query DSL (<c>match</c>, <c>bool</c>, <c>range</c>, ...) to Lucene queries.</summary>
internal static class QueryDslParser
{
    /// <summary>
    /// The Lucene query for one query-DSL object (<c>{"match": {...}}</c>) against <paramref name="target"/>'s mapping
    /// and analyzer; scores as Elasticsearch scores it under BM25.
    /// </summary>
    /// <exception cref="Errors.EngineException"><c>parsing_exception</c> for malformed or unknown queries,
    /// <c>illegal_argument_exception</c> for queries the engine does not support (naming them).</exception>
    public static Query Parse(JsonObject query, SearchTarget target) => throw new NotImplementedException();
}
