using Microsoft.AspNetCore.Http;

namespace Rerank.Sidecar.Search;

/// <summary><c>GET|POST /{target}/_search</c>, the target an index, alias or comma list (not <c>/_search</c>, not <c>/_x/_search</c>).</summary>
internal static class SearchRoute
{
    /// <summary>The target of a search route, or null.</summary>
    public static string? Match(string method, PathString path)
    {
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsPost(method))
        {
            return null;
        }

        var value = path.Value;
        const string suffix = "/_search";
        if (value is null || value.Length <= suffix.Length + 1 || value[0] != '/' || !value.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var target = value[1..^suffix.Length];
        return target.Length == 0 || target[0] == '_' || target.Contains('/', StringComparison.Ordinal) ? null : target;
    }
}
