using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>
/// The errors the query DSL raises, typed and worded as Elasticsearch words them, with Elasticsearch's cause chains
/// (<c>caused_by</c>) and root causes.
/// </summary>
/// <remarks>
/// <para>Two kinds, as in Elasticsearch:</para>
/// <list type="number">
/// <item>Request errors (parsing the query JSON, before any index is consulted): <c>parsing_exception</c>,
/// <c>x_content_parse_exception</c>, <c>illegal_argument_exception</c>, ... The search answers them as they are.</item>
/// <item>Shard errors (building the Lucene query against an index's mapping): a <c>query_shard_exception</c> carrying
/// the index name. Elasticsearch reports these inside <c>search_phase_execution_exception</c> ("all shards failed");
/// <see cref="IsShardFailure"/> tells the search executor which ones to wrap.</item>
/// </list>
/// <para>Elasticsearch puts the request body position into many reasons (<c>[1:19] ...</c>) and into
/// <c>line</c>/<c>col</c>; the engine receives the body as parsed JSON without positions, so those parts are left out.</para>
/// <para>Root causes follow Elasticsearch's <c>guessRootCauses</c>: an Elasticsearch exception whose cause is also one
/// reports the cause's root; an <c>x_content_parse_exception</c> whose cause is an Elasticsearch or x-content exception
/// reports the cause's root; anything else is its own root.</para>
/// </remarks>
internal static class QueryErrors
{
    /// <summary>The error type of failures while building the Lucene query for one index.</summary>
    public const string QueryShardException = "query_shard_exception";

    private const string NotSupported = " is not supported by the embedded engine";

    private static readonly HashSet<string> ElasticsearchTypes = new(StringComparer.Ordinal)
    {
        "parsing_exception",
        QueryShardException,
        "parse_exception",
    };

    /// <summary>Whether <paramref name="error"/> arose on the shard (the executor wraps it in search_phase_execution_exception).</summary>
    public static bool IsShardFailure(EngineException error) => error.Type == QueryShardException;

    public static EngineException Parsing(string reason) => new(400, "parsing_exception", reason);

    public static EngineException Parsing(string reason, EngineException cause) => Chain(400, "parsing_exception", reason, cause);

    public static EngineException XContentParse(string reason) => new(400, "x_content_parse_exception", reason);

    public static EngineException IllegalArgument(string reason) => new(400, "illegal_argument_exception", reason);

    /// <summary>Java's <c>NumberFormatException</c> for a number that does not parse.</summary>
    public static EngineException NumberFormat(string input) => new(400, "number_format_exception", $"For input string: \"{input}\"");

    /// <summary>Java's <c>IllegalStateException</c>; Elasticsearch answers it with status 500.</summary>
    public static EngineException IllegalState(string reason) => new(500, "illegal_state_exception", reason);

    /// <summary>Elasticsearch's <c>ElasticsearchParseException</c> (date math, date formats).</summary>
    public static EngineException Parse(string reason) => new(400, "parse_exception", reason);

    /// <summary>Whether <paramref name="error"/> is the engine's own refusal of a feature Elasticsearch has.</summary>
    public static bool IsUnsupported(EngineException error) =>
        error.Type == "illegal_argument_exception" && error.Reason.Contains(NotSupported, StringComparison.Ordinal);

    /// <summary>A query Elasticsearch has that the embedded engine does not implement.</summary>
    public static EngineException UnsupportedQuery(string name) => IllegalArgument($"query [{name}]{NotSupported}");

    /// <summary>A parameter of a supported query that the embedded engine does not implement.</summary>
    public static EngineException UnsupportedParameter(string query, string parameter) =>
        IllegalArgument($"[{query}] query parameter [{parameter}]{NotSupported}");

    /// <summary>Something else the embedded engine does not implement, named by <paramref name="what"/>.</summary>
    public static EngineException Unsupported(string what) => IllegalArgument(what + NotSupported);

    /// <summary>A hand-written Elasticsearch query parser meeting a key it does not know.</summary>
    public static EngineException DoesNotSupport(string query, string key) => Parsing($"[{query}] query does not support [{key}]");

    /// <summary>A hand-written Elasticsearch query parser meeting a JSON token where it expects another.</summary>
    public static EngineException UnknownToken(string query, JsonNode? token, string after) =>
        Parsing($"[{query}] unknown token [{JsonArgs.TokenName(token)}] after [{after}]");

    public static EngineException MultipleFields(string query, string first, string second) =>
        Parsing($"[{query}] query doesn't support multiple fields, found [{first}] and [{second}]");

    /// <summary>An <c>ObjectParser</c>-based Elasticsearch parser (bool, ids, match_all) meeting a key it does not declare.</summary>
    public static EngineException UnknownField(string parser, string field, IEnumerable<string> candidates) =>
        XContentParse($"[{parser}] unknown field [{field}]{Suggestions.DidYouMean(field, candidates)}");

    /// <summary>An <c>ObjectParser</c> field given a JSON token its declaration does not accept.</summary>
    public static EngineException UnsupportedValueType(string parser, string field, JsonNode? token) =>
        XContentParse($"[{parser}] {field} doesn't support values of type: {JsonArgs.TokenName(token)}");

    /// <summary>An <c>ObjectParser</c> wrapping the failure of one of its fields.</summary>
    public static EngineException FailedToParseField(string parser, string field, EngineException cause) =>
        Chain(400, "x_content_parse_exception", $"[{parser}] failed to parse field [{field}]", cause);

    /// <summary>
    /// A failure while building the query for <paramref name="index"/>: Elasticsearch's
    /// <c>failed to create query: ...</c> wrapper around any exception that is not already a shard or parsing error.
    /// </summary>
    public static EngineException Shard(string index, EngineException cause)
    {
        if (cause.Type is QueryShardException or "parsing_exception")
        {
            return cause;
        }

        return Chain(400, QueryShardException, "failed to create query: " + cause.Reason, cause, index);
    }

    /// <summary>A <c>query_shard_exception</c> raised directly (no cause), e.g. a query a field type does not support.</summary>
    public static EngineException Shard(string index, string reason) => new(400, QueryShardException, reason, index);

    /// <summary>An error with <paramref name="cause"/> as its <c>caused_by</c>, root cause as Elasticsearch guesses it.</summary>
    public static EngineException Chain(int status, string type, string reason, EngineException cause, string? index = null)
    {
        var extra = new JsonObject { ["caused_by"] = CausedBy(cause) };
        var unwrap = ElasticsearchTypes.Contains(type)
            ? ElasticsearchTypes.Contains(cause.Type)
            : type == "x_content_parse_exception" && (ElasticsearchTypes.Contains(cause.Type) || cause.Type == "x_content_parse_exception");
        var root = unwrap ? cause.RootCause ?? cause : null;
        return new EngineException(status, type, reason, index, extra, root);
    }

    private static JsonObject CausedBy(EngineException cause)
    {
        var json = new JsonObject { ["type"] = cause.Type, ["reason"] = cause.Reason };
        if (cause.Index is not null)
        {
            json["index"] = cause.Index;
        }

        foreach (var (key, value) in cause.Extra ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }
}
