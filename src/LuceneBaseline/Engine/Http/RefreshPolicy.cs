using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>The <c>refresh</c> parameter of write requests.</summary>
internal enum RefreshPolicy
{
    /// <summary><c>false</c> (default): the periodic refresh makes the write visible.</summary>
    None,

    /// <summary><c>true</c> or empty: refresh before answering (the answer says <c>forced_refresh</c>).</summary>
    Immediate,

    /// <summary><c>wait_for</c>: answer once a refresh has made the write visible.</summary>
    WaitFor,
}

/// <summary>Parses <see cref="RefreshPolicy"/>.</summary>
internal static class RefreshPolicies
{
    public static RefreshPolicy Read(RestRequest request) => request.Param("refresh") switch
    {
        null or "false" => RefreshPolicy.None,
        "" or "true" => RefreshPolicy.Immediate,
        "wait_for" => RefreshPolicy.WaitFor,
        var other => throw EngineException.IllegalArgument($"Unknown value for refresh: [{other}]."),
    };
}
