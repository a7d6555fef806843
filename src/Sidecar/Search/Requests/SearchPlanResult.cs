namespace Rerank.Sidecar.Search.Requests;

/// <summary>What <see cref="SearchRequestPlanner.Plan"/> decided for a search of an enabled index.</summary>
internal abstract record SearchPlanResult
{
    private SearchPlanResult()
    {
    }

    /// <summary>The search can be reranked.</summary>
    public sealed record Rerank(SearchPlan Plan) : SearchPlanResult;

    /// <summary>
    /// The search cannot be reranked (<c>X-Rerank: skipped:&lt;reason&gt;</c>, reasons in <see cref="SkipReasons"/>): forward
    /// <paramref name="Body"/> (the user's, <c>ext.rerank</c> removed) with <paramref name="QueryString"/> and stream the answer back.
    /// </summary>
    public sealed record Skip(string Reason, ReadOnlyMemory<byte> Body, string QueryString) : SearchPlanResult;

    /// <summary>The request is wrong in a way the user must fix (a bad <c>ext.rerank</c>): answer this error, forward nothing.</summary>
    public sealed record Invalid(int Status, string Type, string Reason) : SearchPlanResult;
}
