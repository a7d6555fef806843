using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>The parameters every query takes: <c>boost</c> and <c>_name</c>.</summary>
internal static class StandardFields
{
    public const string Boost = "boost";

    public const string Name = "_name";

    /// <summary>A <c>boost</c> value (a number or numeric string), checked as Elasticsearch checks it: not negative.</summary>
    public static float ParseBoost(JsonNode? value)
    {
        var boost = JsonArgs.ReadFloat(value);
        CheckBoost(boost);
        return boost;
    }

    public static void CheckBoost(float boost)
    {
        if (boost < 0f)
        {
            throw QueryErrors.IllegalArgument("negative [boost] are not allowed.");
        }
    }

    /// <summary>
    /// Named queries (<c>_name</c>, reported per hit as <c>matched_queries</c>) are not implemented: refused,
    /// naming the parameter, rather than accepted and ignored.
    /// </summary>
    public static Errors.EngineException NamedQueriesUnsupported(string query) => QueryErrors.UnsupportedParameter(query, Name);
}
