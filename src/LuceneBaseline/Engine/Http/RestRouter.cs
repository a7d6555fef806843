namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// The REST route table. A path picks its template first (most literal segments wins), then the method picks the
/// handler; a known path with an unknown method is Elasticsearch's 405, an unknown path its 400 "no handler found".
/// </summary>
internal sealed class RestRouter
{
    private readonly Dictionary<string, RestRoute> _routes = new(StringComparer.Ordinal);

    public RestRouter Map(string methods, string template, Func<RestRequest, Task<RestResponse>> handler)
    {
        if (!_routes.TryGetValue(template, out var route))
        {
            route = new RestRoute(template);
            _routes[template] = route;
        }

        foreach (var method in methods.Split(',', StringSplitOptions.TrimEntries))
        {
            route.Handlers.Add(method, handler);
        }

        return this;
    }

    /// <summary>The route whose template fits the segments best, with its values; null when none fits.</summary>
    public (RestRoute Route, Dictionary<string, string> Values)? Find(IReadOnlyList<string> segments)
    {
        (RestRoute Route, Dictionary<string, string> Values)? best = null;
        foreach (var route in _routes.Values)
        {
            if (route.Match(segments) is { } values && (best is null || route.LiteralCount > best.Value.Route.LiteralCount))
            {
                best = (route, values);
            }
        }

        return best;
    }
}
