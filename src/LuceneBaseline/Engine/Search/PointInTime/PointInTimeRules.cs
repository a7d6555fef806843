using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.PointInTime;

/// <summary>
/// How <c>_search</c> reads <c>pit</c> and <c>slice</c> and what Elasticsearch's <c>SearchRequest.validate</c> and
/// <c>SearchRequest.rewrite</c> do with them.
/// </summary>
internal static class PointInTimeRules
{
    /// <summary>Elasticsearch's <c>PointInTimeBuilder</c> parser: <c>id</c> (required) and <c>keep_alive</c>.</summary>
    public static PointInTimeSpec ParsePit(JsonObject pit)
    {
        string? id = null;
        TimeSpan? keepAlive = null;
        foreach (var (key, value) in pit)
        {
            switch (key)
            {
                case "id":
                    id = JsonArgs.ReadText(value, key);
                    break;
                case "keep_alive":
                    keepAlive = ParseKeepAlive(JsonArgs.ReadText(value, key));
                    break;
                default:
                    throw SearchErrors.XContentParse($"[pit] unknown field [{key}]");
            }
        }

        return new PointInTimeSpec(id ?? throw EngineException.IllegalArgument("Required [id]"), keepAlive);
    }

    /// <summary>A <c>keep_alive</c> value: a positive time value (<c>1m</c>, <c>30s</c>).</summary>
    public static TimeSpan ParseKeepAlive(string text) =>
        SearchRequestParser.ParseTimeValue(text, "keep_alive") is { } value && value > TimeSpan.Zero
            ? value
            : throw EngineException.IllegalArgument($"failed to parse setting [keep_alive] with value [{text}] as a time value: it must be positive");

    /// <summary>Elasticsearch's <c>SliceBuilder</c> parser: <c>id</c>, <c>max</c> and <c>field</c> (only the default, <c>_shard_doc</c>).</summary>
    public static SliceSpec ParseSlice(JsonObject slice)
    {
        int? id = null, max = null;
        var last = "max";
        foreach (var (key, value) in slice)
        {
            switch (key)
            {
                case "id":
                    id = JsonArgs.ReadInt(value);
                    if (id < 0)
                    {
                        throw Failed(key, "id must be greater than or equal to 0");
                    }

                    break;
                case "max":
                    max = JsonArgs.ReadInt(value);
                    if (max <= 1)
                    {
                        throw Failed(key, "max must be greater than 1");
                    }

                    break;
                case "field":
                    var field = JsonArgs.ReadText(value, key);
                    if (field != "_shard_doc")
                    {
                        throw SearchErrors.Unsupported($"slicing by [{field}] (only the point in time's default [_shard_doc])");
                    }

                    break;
                default:
                    throw SearchErrors.XContentParse($"[slice] unknown field [{key}]");
            }

            last = key is "id" or "max" ? key : last;
            if (id is { } i && max is { } m && i >= m)
            {
                throw Failed(last, "max must be greater than id");
            }
        }

        if (id is null || max is null)
        {
            throw EngineException.IllegalArgument($"Required [{(id is null ? "id" : "max")}]");
        }

        return new SliceSpec(id.Value, max.Value);

        static EngineException Failed(string field, string reason) => SearchErrors.XContentParse(
            $"[slice] failed to parse field [{field}]", new JsonObject { ["type"] = "illegal_argument_exception", ["reason"] = reason });
    }

    /// <summary>The point-in-time rules of Elasticsearch's <c>SearchRequest.validate</c>, added to <paramref name="errors"/>.</summary>
    public static void Validate(SearchRequest request, List<string> errors)
    {
        if (request.Slice is not null && request.PointInTime is null)
        {
            errors.Add("[slice] can only be used with [scroll] or [point-in-time] requests");
        }

        if (request.PointInTime is null && request.Sort is { } sort && sort.Any(s => s.Kind == SortKind.ShardDoc))
        {
            errors.Add("[_shard_doc] sort field cannot be used without [point in time]");
        }

        if (request.Slice is not null && request.Knn.Count > 0)
        {
            throw SearchErrors.Unsupported("[slice] with [knn]");
        }
    }

    /// <summary>
    /// Elasticsearch's <c>SearchRequest.rewrite</c>: a point-in-time search with a sort that does not end in
    /// <c>_shard_doc</c> gets <c>_shard_doc</c> ascending as its last sort (the tiebreaker that makes
    /// <c>search_after</c> pages exact), unless <c>search_after</c> has only the values of the sort given.
    /// </summary>
    public static SearchRequest AddTiebreaker(SearchRequest request)
    {
        if (request.PointInTime is null || request.Sort is not { Count: > 0 } sort || sort[^1].Kind == SortKind.ShardDoc)
        {
            return request;
        }

        if (request.SearchAfter is { } after && after.Count != sort.Count + 1)
        {
            return request;
        }

        return request with { Sort = [.. sort, new SortClause(SortKind.ShardDoc, "_shard_doc", Descending: false)] };
    }
}
