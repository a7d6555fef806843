namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>One path template (<c>/{index}/_doc/{id}</c>) and the handler of each HTTP method it answers.</summary>
internal sealed class RestRoute
{
    private readonly string[] _segments;

    public RestRoute(string template)
    {
        Template = template;
        _segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        LiteralCount = _segments.Count(s => !IsParameter(s));
    }

    public string Template { get; }

    /// <summary>Literal segments win over parameters when two templates match a path (<c>/_search</c> over <c>/{index}</c>).</summary>
    public int LiteralCount { get; }

    public Dictionary<string, Func<RestRequest, Task<RestResponse>>> Handlers { get; } = new(StringComparer.Ordinal);

    /// <summary>The route values when <paramref name="segments"/> fit this template, else null.</summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> segments)
    {
        if (segments.Count != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _segments.Length; i++)
        {
            var template = _segments[i];
            if (IsParameter(template))
            {
                if (segments[i].Length == 0)
                {
                    return null;
                }

                values[template[1..^1]] = segments[i];
            }
            else if (!string.Equals(template, segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return values;
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
}
