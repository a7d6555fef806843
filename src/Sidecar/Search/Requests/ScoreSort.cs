using System.Text.Json;

namespace Rerank.Sidecar.Search.Requests;

/// <summary>
/// Whether a sort is the default one, <c>_score</c> descending, the only order a rerank may replace (docs/search.md
/// "Skipped": any other sort is <c>skipped:sort</c>).
/// </summary>
internal static class ScoreSort
{
    private const string Score = "_score";

    /// <summary>
    /// The body's <c>sort</c>: <c>"_score"</c>, <c>{"_score": "desc"}</c>, <c>{"_score": {"order": "desc"}}</c>, or an array
    /// holding exactly one of them (or nothing).
    /// </summary>
    public static bool IsScoreDescending(JsonElement sort)
    {
        if (sort.ValueKind != JsonValueKind.Array)
        {
            return IsScoreEntry(sort);
        }

        return sort.GetArrayLength() switch
        {
            0 => true,
            1 => IsScoreEntry(sort[0]),
            _ => false,
        };
    }

    /// <summary>The URL's <c>sort</c>: <c>_score</c> or <c>_score:desc</c>.</summary>
    public static bool IsScoreDescending(string urlSort) => urlSort is Score or Score + ":desc";

    private static bool IsScoreEntry(JsonElement entry)
    {
        switch (entry.ValueKind)
        {
            case JsonValueKind.String:
                return entry.ValueEquals(Score);
            case JsonValueKind.Object:
                var properties = entry.EnumerateObject().ToList();
                if (properties is not [{ Name: Score } only])
                {
                    return false;
                }

                var order = only.Value;
                return order.ValueKind switch
                {
                    JsonValueKind.String => order.ValueEquals("desc"),
                    JsonValueKind.Object => order.EnumerateObject().All(p => p.Name == "order" && p.Value.ValueKind == JsonValueKind.String && p.Value.ValueEquals("desc")),
                    _ => false,
                };
            default:
                return false;
        }
    }
}
