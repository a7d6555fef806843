using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Elasticsearch's <c>filter_path</c> response filtering: comma-separated dotted paths, <c>*</c> within a name,
/// <c>**</c> for any number of levels, a leading <c>-</c> to exclude. Arrays are transparent. When both kinds are
/// given the exclusions are applied first, then the inclusions, as Elasticsearch documents.
/// </summary>
internal sealed class FilterPath
{
    private readonly List<string[]> _include = [];
    private readonly List<string[]> _exclude = [];

    private FilterPath()
    {
    }

    /// <summary>The filter for a <c>filter_path</c> value, or null when it names nothing.</summary>
    public static FilterPath? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var filter = new FilterPath();
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var exclude = raw.StartsWith('-');
            var segments = (exclude ? raw[1..] : raw).Split('.');
            (exclude ? filter._exclude : filter._include).Add(segments);
        }

        return filter._include.Count + filter._exclude.Count == 0 ? null : filter;
    }

    /// <summary>The filtered copy of <paramref name="root"/> (an empty object when nothing is left).</summary>
    public JsonNode Apply(JsonNode root)
    {
        JsonNode? result = root.DeepClone();
        if (_exclude.Count > 0)
        {
            result = Exclude(result, Start(_exclude));
        }

        if (_include.Count > 0 && result is not null)
        {
            result = Include(result, Start(_include));
        }

        return result ?? new JsonObject();
    }

    private static List<(string[] Pattern, int Next)> Start(List<string[]> patterns) => patterns.Select(p => (p, 0)).ToList();

    private static JsonNode? Include(JsonNode? node, List<(string[] Pattern, int Next)> states)
    {
        if (states.Any(IsComplete))
        {
            return node?.DeepClone();
        }

        switch (node)
        {
            case JsonObject obj:
            {
                var kept = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var next = Advance(states, key);
                    if (next.Count == 0)
                    {
                        continue;
                    }

                    var child = Include(value, next);
                    if (child is not null || next.Any(IsComplete))
                    {
                        kept[key] = child;
                    }
                }

                return kept.Count > 0 ? kept : null;
            }

            case JsonArray array:
            {
                var kept = new JsonArray();
                foreach (var item in array)
                {
                    if (Include(item, states) is { } child)
                    {
                        kept.Add(child);
                    }
                }

                return kept.Count > 0 ? kept : null;
            }

            default:
                return null;
        }
    }

    private static JsonNode? Exclude(JsonNode? node, List<(string[] Pattern, int Next)> states)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var kept = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var next = Advance(states, key);
                    if (next.Any(IsComplete))
                    {
                        continue;
                    }

                    kept[key] = next.Count == 0 ? value?.DeepClone() : Exclude(value, next);
                }

                return kept;
            }

            case JsonArray array:
            {
                var kept = new JsonArray();
                foreach (var item in array)
                {
                    kept.Add(Exclude(item, states));
                }

                return kept;
            }

            default:
                return node?.DeepClone();
        }
    }

    private static bool IsComplete((string[] Pattern, int Next) state)
    {
        for (var i = state.Next; i < state.Pattern.Length; i++)
        {
            if (state.Pattern[i] != "**")
            {
                return false;
            }
        }

        return true;
    }

    private static List<(string[] Pattern, int Next)> Advance(List<(string[] Pattern, int Next)> states, string key)
    {
        var next = new List<(string[] Pattern, int Next)>();
        foreach (var state in states)
        {
            AdvanceOne(state, key, next);
        }

        return next;
    }

    private static void AdvanceOne((string[] Pattern, int Next) state, string key, List<(string[] Pattern, int Next)> into)
    {
        if (state.Next >= state.Pattern.Length)
        {
            return;
        }

        var segment = state.Pattern[state.Next];
        if (segment == "**")
        {
            // '**' may swallow this key and stay, or match nothing and let the next segment try the key.
            into.Add(state);
            AdvanceOne((state.Pattern, state.Next + 1), key, into);
            return;
        }

        if (Glob.IsMatch(segment, key))
        {
            into.Add((state.Pattern, state.Next + 1));
        }
    }
}
