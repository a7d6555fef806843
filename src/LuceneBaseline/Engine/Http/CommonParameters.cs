using Microsoft.AspNetCore.Http;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// The boolean options every endpoint takes (<c>pretty</c>, <c>human</c>, <c>error_trace</c>), read strictly as
/// Elasticsearch reads them: absent is false, an empty value (<c>?pretty</c>) and <c>true</c> are true, <c>false</c> is
/// false, anything else is <c>illegal_argument_exception</c> (400).
/// </summary>
internal static class CommonParameters
{
    private static readonly string[] Booleans = ["pretty", "human", "error_trace"];

    /// <summary>Checks the boolean options and returns <c>pretty</c>.</summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> for a value other than true or false.</exception>
    public static bool ReadPretty(IQueryCollection query)
    {
        var pretty = false;
        foreach (var name in Booleans)
        {
            var values = query[name];
            if (values.Count == 0)
            {
                continue;
            }

            // Elasticsearch takes the last of repeated parameters.
            var parsed = RestRequest.ParseFlag(values[^1] ?? "");
            if (name == "pretty")
            {
                pretty = parsed;
            }
        }

        return pretty;
    }
}
