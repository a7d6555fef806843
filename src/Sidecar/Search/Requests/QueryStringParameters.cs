namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// A URL query string split into its parameters; parameters not named in <see cref="Without"/> are kept exactly as they
/// were written (their encoding and order), so the cluster reads them as the user sent them.
/// </summary>
internal sealed class QueryStringParameters
{
    private readonly List<Parameter> _parameters;

    private QueryStringParameters(List<Parameter> parameters)
    {
        _parameters = parameters;
    }

    /// <summary>Splits <paramref name="queryString"/> (with or without its leading <c>?</c>) on <c>&amp;</c>.</summary>
    public static QueryStringParameters Parse(string queryString)
    {
        var parameters = new List<Parameter>();
        var text = queryString.StartsWith('?') ? queryString[1..] : queryString;
        foreach (var raw in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? raw : raw[..equals]);
            var value = equals < 0 ? string.Empty : Decode(raw[(equals + 1)..]);
            parameters.Add(new Parameter(raw, name, value));
        }

        return new QueryStringParameters(parameters);
    }

    /// <summary>The decoded value of <paramref name="name"/> (the last one when repeated), or null when absent.</summary>
    public string? Get(string name)
    {
        for (var i = _parameters.Count - 1; i >= 0; i--)
        {
            if (_parameters[i].Name == name)
            {
                return _parameters[i].Value;
            }
        }

        return null;
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>The query string without the parameters named in <paramref name="names"/>: <c>?a=b&amp;c=d</c>, or empty.</summary>
    public string Without(IReadOnlySet<string> names)
    {
        var kept = _parameters.Where(p => !names.Contains(p.Name)).Select(p => p.Raw).ToList();
        return kept.Count == 0 ? string.Empty : "?" + string.Join('&', kept);
    }

    // As the cluster's decoder reads a query string: '+' is a space, %XX a byte of UTF-8.
    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private sealed record Parameter(string Raw, string Name, string Value);
}
