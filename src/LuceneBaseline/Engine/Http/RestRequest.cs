using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// One REST request as a handler sees it: method, decoded path segments, route values and the query string, with
/// every parameter a handler reads marked as consumed so unknown ones can be rejected as Elasticsearch rejects them.
/// </summary>
internal sealed class RestRequest
{
    /// <summary>Parameters every endpoint accepts (Elasticsearch's common options); the writer applies them.</summary>
    private static readonly HashSet<string> CommonParameters = new(StringComparer.Ordinal) { "pretty", "human", "error_trace", "filter_path" };

    private readonly Dictionary<string, string> _query;
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    public RestRequest(HttpContext context, string path, IReadOnlyList<string> segments)
    {
        Context = context;
        Method = context.Request.Method.ToUpperInvariant();
        Path = path;
        Segments = segments;
        _query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in context.Request.Query)
        {
            // Elasticsearch takes the last of repeated parameters.
            _query[key] = values.Count == 0 ? "" : values[^1] ?? "";
        }
    }

    public HttpContext Context { get; }

    /// <summary>Upper-case HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path as sent (still percent-encoded), for error messages.</summary>
    public string Path { get; }

    /// <summary>Decoded path segments.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>Route values of the matched route (<c>index</c>, <c>id</c>).</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; set; } = new Dictionary<string, string>();

    public CancellationToken Aborted => Context.RequestAborted;

    public string? Route(string name) => RouteValues.GetValueOrDefault(name);

    public string RequiredRoute(string name) => RouteValues[name];

    /// <summary>The parameter's value (marked consumed), or null when absent.</summary>
    public string? Param(string name)
    {
        if (!_query.TryGetValue(name, out var value))
        {
            return null;
        }

        _consumed.Add(name);
        return value;
    }

    public bool HasParam(string name) => _query.ContainsKey(name);

    /// <summary>
    /// A boolean parameter: absent gives <paramref name="defaultValue"/>, an empty value (<c>?pretty</c>) is true,
    /// otherwise only <c>true</c>/<c>false</c> (Elasticsearch's strict booleans).
    /// </summary>
    public bool BoolParam(string name, bool defaultValue) => Param(name) is { } value ? ParseFlag(value) : defaultValue;

    /// <summary>
    /// A boolean URL parameter's value as Elasticsearch's <c>paramAsBoolean</c> reads it: empty (<c>?pretty</c>) is
    /// true, else strictly <c>true</c> or <c>false</c>.
    /// </summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> for any other text.</exception>
    public static bool ParseFlag(string value) => value.Length == 0 || JavaBooleans.Parse(value);

    public long? LongParam(string name)
    {
        var value = Param(name);
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            throw EngineException.IllegalArgument($"Failed to parse long parameter [{name}] with value [{value}]");
        }

        return parsed;
    }

    /// <summary>
    /// Every parameter not consumed yet (and not a common option), marked consumed: handed on to a component that
    /// validates them itself (search).
    /// </summary>
    public Dictionary<string, string> TakeRemainingParameters()
    {
        var remaining = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _query)
        {
            if (!_consumed.Contains(key) && !CommonParameters.Contains(key))
            {
                remaining[key] = value;
                _consumed.Add(key);
            }
        }

        return remaining;
    }

    /// <summary>Rejects parameters no one consumed, with Elasticsearch's message.</summary>
    public void RejectUnconsumedParameters()
    {
        var unknown = _query.Keys.Where(k => !_consumed.Contains(k) && !CommonParameters.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 1)
        {
            throw EngineException.IllegalArgument($"request [{PathWithoutQuery}] contains unrecognized parameter: [{unknown[0]}]");
        }

        if (unknown.Count > 1)
        {
            throw EngineException.IllegalArgument(
                $"request [{PathWithoutQuery}] contains unrecognized parameters: {string.Join(", ", unknown.Select(u => $"[{u}]"))}");
        }
    }

    /// <summary>The path without the query string.</summary>
    public string PathWithoutQuery => Path;

    /// <summary>Whether the request carries a body (a Content-Length above zero or a chunked body).</summary>
    public bool HasBody =>
        Context.Request.ContentLength is > 0 || (Context.Request.ContentLength is null && Context.Request.Headers.TransferEncoding.Count > 0);

    /// <summary>The whole body (bounded by the host's request size limit).</summary>
    public async Task<byte[]> ReadBodyAsync()
    {
        using var buffer = new MemoryStream();
        await Context.Request.Body.CopyToAsync(buffer, Aborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>The body as a JSON object, or null when there is no body (or it is empty).</summary>
    /// <exception cref="EngineException"><c>x_content_parse_exception</c> for malformed JSON; <c>parsing_exception</c> when it is not an object.</exception>
    public async Task<JsonObject?> ReadJsonObjectAsync()
    {
        if (!HasBody)
        {
            return null;
        }

        var bytes = await ReadBodyAsync().ConfigureAwait(false);
        return JsonBody.ParseObject(bytes);
    }

    /// <summary>Like <see cref="ReadJsonObjectAsync"/>, but a missing body is <c>parse_exception</c> "request body is required".</summary>
    public async Task<JsonObject> ReadRequiredJsonObjectAsync()
    {
        return await ReadJsonObjectAsync().ConfigureAwait(false)
            ?? throw new EngineException(400, "parse_exception", "request body is required");
    }
}
