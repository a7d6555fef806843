using System.Collections.Frozen;
using System.Globalization;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Typed access to <see cref="SearchParameters.Values"/> with Elasticsearch's <c>RestRequest</c> parsing and messages.</summary>
internal sealed class UrlParameters
{
    /// <summary>The parameters of <c>_search</c> (Elasticsearch's <c>RestSearchAction</c> plus the response parameters).</summary>
    public static readonly FrozenSet<string> Search = new[]
    {
        "from", "size", "sort", "_source", "_source_includes", "_source_excludes", "track_total_hits", "rest_total_hits_as_int",
        "typed_keys", "q", "df", "default_operator", "analyzer", "analyze_wildcard", "lenient", "timeout", "track_scores", "version",
        "seq_no_primary_term", "explain", "terminate_after", "stored_fields", "docvalue_fields", "search_type",
        "allow_partial_search_results", "request_cache", "preference", "routing", "batched_reduce_size", "max_concurrent_shard_requests",
        "pre_filter_shard_size", "ccs_minimize_roundtrips", "ignore_unavailable", "allow_no_indices", "expand_wildcards",
        "ignore_throttled", "scroll", "suggest_field", "suggest_text", "suggest_size", "suggest_mode", "stats",
        "include_named_queries_score", "force_synthetic_source", "min_compatible_shard_node", "pretty", "human", "error_trace", "filter_path",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The parameters of <c>_count</c> (Elasticsearch's <c>RestCountAction</c> plus the response parameters).</summary>
    public static readonly FrozenSet<string> Count = new[]
    {
        "q", "df", "default_operator", "analyzer", "analyze_wildcard", "lenient", "min_score", "terminate_after", "routing", "preference",
        "ignore_unavailable", "allow_no_indices", "expand_wildcards", "ignore_throttled", "pretty", "human", "error_trace", "filter_path",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly SearchParameters _parameters;

    /// <exception cref="EngineException"><c>illegal_argument_exception</c> naming every parameter not in <paramref name="known"/>.</exception>
    public UrlParameters(SearchParameters parameters, FrozenSet<string> known)
    {
        _parameters = parameters;
        var unknown = parameters.Values.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw EngineException.IllegalArgument(Unrecognized(parameters.Path, unknown, known));
        }
    }

    /// <summary>Elasticsearch's <c>BaseRestHandler.unrecognized</c> message, "did you mean" hints included.</summary>
    public static string Unrecognized(string path, IReadOnlyList<string> unknown, IEnumerable<string> candidates)
    {
        var message = new System.Text.StringBuilder(
            $"request [{path}] contains unrecognized parameter{(unknown.Count > 1 ? "s" : string.Empty)}: ");
        for (var i = 0; i < unknown.Count; i++)
        {
            if (i > 0)
            {
                message.Append(", ");
            }

            message.Append('[').Append(unknown[i]).Append(']');
            var similar = Suggestions.Similar(unknown[i], candidates);
            if (similar.Count > 0)
            {
                message.Append(" -> did you mean ");
                message.Append(similar.Count == 1 ? $"[{similar[0]}]" : $"any of [{string.Join(", ", similar)}]");
                message.Append('?');
            }
        }

        return message.ToString();
    }

    public bool Has(string name) => _parameters.Values.ContainsKey(name);

    public string? Text(string name) => _parameters.Values.GetValueOrDefault(name);

    public int? Int(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw EngineException.IllegalArgument($"Failed to parse int parameter [{name}] with value [{text}]");
        }

        return value;
    }

    public float? Float(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw EngineException.IllegalArgument($"Failed to parse float parameter [{name}] with value [{text}]");
        }

        return value;
    }

    /// <summary>A boolean parameter; present without a value means true, as in Elasticsearch.</summary>
    public bool? Bool(string name)
    {
        var text = Text(name);
        return text is null ? null : text.Length == 0 || JsonArgs.ParseBoolean(text);
    }

    /// <summary>A comma-separated list (Elasticsearch's <c>splitStringByCommaToArray</c>: empty entries dropped).</summary>
    public string[]? List(string name) => Text(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
