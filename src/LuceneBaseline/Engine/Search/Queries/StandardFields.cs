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

    /// <summary>
    /// A scalar key a hand-written query parser does not take itself: <c>boost</c> is read (unchecked; the parser
    /// calls <see cref="CheckBoost"/> once the body is read), <c>_name</c> is refused, anything else is
    /// "[query] query does not support [key]".
    /// </summary>
    public static float ReadBoost(string query, string key, JsonNode? value) => key switch
    {
        Boost => JsonArgs.ReadFloat(value),
        Name => throw NamedQueriesUnsupported(query),
        _ => throw QueryErrors.DoesNotSupport(query, key),
    };

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
