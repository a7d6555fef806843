using Lucene.Net.Search;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>Small Lucene building blocks shared by the query builders.</summary>
internal static class LuceneQueries
{
    /// <summary>A boolean query without coord (BM25's coord is 1 anyway): scores add up as in Lucene 5+.</summary>
    public static BooleanQuery NewBoolean() => new(disableCoord: true);

    /// <summary>
    /// <paramref name="query"/> in filter context (a bool <c>filter</c> clause, Lucene 5+'s <c>Occur.FILTER</c>):
    /// it must match but adds 0 to the score. Add it as a MUST clause.
    /// </summary>
    public static Query NonScoring(Query query) => new ConstantScoreQuery(query) { Boost = 0f };

    /// <summary>A constant score of 1 (times any boost set later) for the documents <paramref name="filter"/> accepts.</summary>
    public static Query ConstantScore(Filter filter) => new ConstantScoreQuery(filter);

    /// <summary>A constant score of 1 for the documents <paramref name="query"/> matches.</summary>
    public static Query ConstantScore(Query query) => new ConstantScoreQuery(query);
}
