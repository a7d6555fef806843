using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// Writes the page fetch (docs/search.md "Two phases", step 3): the user's query restricted to the page's ids, with the
/// user's fetch options (so highlights and <c>fields</c> are the ones the user's search would have returned).
/// </summary>
/// <remarks>
/// 1. The query: <c>{"bool": {"must": [query], "filter": [{"ids": ...}]}}</c>, or the ids query alone when the body has
///    no query. With a top-level <c>knn</c> (dropped from the fetch) the user's query goes under <c>should</c> instead,
///    since a hit found by the kNN search alone need not match it.
/// 2. With the URL's <c>q</c> (which replaces any body query, and stays in the fetch's query string) the ids go into
///    <c>post_filter</c> instead.
/// 3. <c>from: 0</c>, <c>size</c> = the number of ids given, <c>track_total_hits: false</c>; no aggregations, suggest,
///    post_filter, min_score, terminate_after or profile; everything else as written.
/// </remarks>
internal sealed class FetchBodyBuilder
{
    private readonly JsonElement? _root;
    private readonly bool _queryFromUrl;

    /// <param name="root">The user's body (an object that outlives the builder, e.g. a clone), or null when there was none.</param>
    /// <param name="queryFromUrl">True when the URL's <c>q</c> is the query.</param>
    public FetchBodyBuilder(JsonElement? root, bool queryFromUrl)
    {
        _root = root;
        _queryFromUrl = queryFromUrl;
    }

    /// <summary>
    /// The fetch body for <paramref name="ids"/>. Repeat an id once per hit when hits of several indices share it: the
    /// <c>size</c> counts every entry, the ids query each distinct id once.
    /// </summary>
    public ReadOnlyMemory<byte> Build(IReadOnlyList<string> ids) => JsonBody.Write(writer =>
    {
        writer.WriteStartObject();
        FirstStageBodyBuilder.CopyExcept(writer, _root, SearchBodyKeys.FetchDropped.Contains);
        if (_queryFromUrl)
        {
            writer.WritePropertyName(SearchBodyKeys.PostFilter);
            WriteIds(writer, ids);
        }
        else
        {
            writer.WritePropertyName(SearchBodyKeys.Query);
            WriteQuery(writer, ids);
        }

        writer.WriteNumber(SearchBodyKeys.From, 0);
        writer.WriteNumber(SearchBodyKeys.Size, ids.Count);
        writer.WriteBoolean(SearchBodyKeys.TrackTotalHits, false);
        writer.WriteEndObject();
    });

    private void WriteQuery(Utf8JsonWriter writer, IReadOnlyList<string> ids)
    {
        if (_root is not { } body || !body.TryGetProperty(SearchBodyKeys.Query, out var query))
        {
            WriteIds(writer, ids);
            return;
        }

        var occur = body.TryGetProperty(SearchBodyKeys.Knn, out _) ? "should" : "must";
        writer.WriteStartObject();
        writer.WriteStartObject("bool");
        writer.WriteStartArray(occur);
        query.WriteTo(writer);
        writer.WriteEndArray();
        writer.WriteStartArray("filter");
        WriteIds(writer, ids);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteIds(Utf8JsonWriter writer, IReadOnlyList<string> ids)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("ids");
        writer.WriteStartArray("values");
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
