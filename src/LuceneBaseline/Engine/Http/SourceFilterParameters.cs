using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Source filtering of the get APIs (<c>_source</c>, <c>_source_includes</c>, <c>_source_excludes</c>): whether to
/// return the source, and which dotted paths (with <c>*</c> wildcards) to keep or drop.
/// </summary>
internal sealed record SourceFilterParameters(bool Fetch, IReadOnlyList<string> Includes, IReadOnlyList<string> Excludes)
{
    public static SourceFilterParameters All { get; } = new(true, [], []);

    public static SourceFilterParameters None { get; } = new(false, [], []);

    /// <summary>Reads the URL form: <c>_source=false</c>, <c>_source=a,b.*</c>, <c>_source_includes</c>, <c>_source_excludes</c>.</summary>
    public static SourceFilterParameters Read(RestRequest request, bool defaultFetch)
    {
        var source = request.Param("_source");
        var includes = Split(request.Param("_source_includes"));
        var excludes = Split(request.Param("_source_excludes"));
        var fetch = defaultFetch || includes.Count > 0 || excludes.Count > 0;
        switch (source)
        {
            case null:
                break;
            case "" or "true":
                fetch = true;
                break;
            case "false":
                fetch = false;
                break;
            default:
                fetch = true;
                includes = [.. includes, .. Split(source)];
                break;
        }

        return new SourceFilterParameters(fetch, includes, excludes);
    }

    /// <summary>Reads the body form: <c>true</c>, <c>false</c>, a pattern, an array of patterns, or <c>{"includes", "excludes"}</c>.</summary>
    public static SourceFilterParameters Parse(JsonNode? node, string context)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() is JsonValueKind.True:
                return All;
            case JsonValue value when value.GetValueKind() is JsonValueKind.False:
                return None;
            case JsonValue value when value.GetValueKind() is JsonValueKind.String:
                return new SourceFilterParameters(true, [value.GetValue<string>()], []);
            case JsonArray array:
                return new SourceFilterParameters(true, Strings(array, context), []);
            case JsonObject obj:
            {
                IReadOnlyList<string> includes = [];
                IReadOnlyList<string> excludes = [];
                foreach (var (key, value) in obj)
                {
                    var patterns = value switch
                    {
                        JsonArray array => Strings(array, context),
                        JsonValue single when single.GetValueKind() == JsonValueKind.String => [single.GetValue<string>()],
                        _ => throw EngineException.Parsing($"[{context}] {key} must be a string or an array of strings"),
                    };
                    switch (key)
                    {
                        case "includes" or "include":
                            includes = patterns;
                            break;
                        case "excludes" or "exclude":
                            excludes = patterns;
                            break;
                        default:
                            throw EngineException.Parsing($"Unknown key for a START_ARRAY in [{key}].");
                    }
                }

                return new SourceFilterParameters(true, includes, excludes);
            }

            default:
                throw EngineException.Parsing($"[{context}] _source must be a boolean, a string, an array of strings or an object");
        }
    }

    /// <summary>The source with the filters applied (a new object; the input is not changed).</summary>
    public JsonObject Apply(JsonObject source)
    {
        if (Includes.Count == 0 && Excludes.Count == 0)
        {
            return (JsonObject)source.DeepClone();
        }

        return FilterObject(source, "", Includes.Count == 0) ?? [];
    }

    private JsonObject? FilterObject(JsonObject source, string prefix, bool included)
    {
        var kept = new JsonObject();
        foreach (var (key, value) in source)
        {
            var path = prefix + key;
            if (Excludes.Any(pattern => Glob.Matches(pattern, path)))
            {
                continue;
            }

            var keepAll = included || Includes.Any(pattern => Glob.Matches(pattern, path));
            if (FilterValue(value, path, keepAll) is { } filtered)
            {
                kept[key] = filtered;
            }
            else if (keepAll && value is null)
            {
                kept[key] = null;
            }
        }

        return kept.Count > 0 || (included && source.Count == 0) ? kept : null;
    }

    private JsonNode? FilterValue(JsonNode? value, string path, bool keepAll)
    {
        switch (value)
        {
            case JsonObject obj:
                return keepAll || MayIncludeBelow(path) ? FilterObject(obj, path + ".", keepAll) : null;
            case JsonArray array:
            {
                if (!keepAll && !MayIncludeBelow(path))
                {
                    return null;
                }

                var kept = new JsonArray();
                foreach (var item in array)
                {
                    if (item is JsonObject element)
                    {
                        if (FilterObject(element, path + ".", keepAll) is { } filtered)
                        {
                            kept.Add(filtered);
                        }
                    }
                    else if (keepAll)
                    {
                        kept.Add(item?.DeepClone());
                    }
                }

                return kept.Count > 0 || (keepAll && array.Count == 0) ? kept : null;
            }

            default:
                return keepAll ? value?.DeepClone() : null;
        }
    }

    /// <summary>Whether some include pattern can match a path below <paramref name="path"/>.</summary>
    private bool MayIncludeBelow(string path) => Includes.Any(pattern => Glob.MatchesSomeExtension(pattern, path + "."));

    private static List<string> Split(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> Strings(JsonArray array, string context) =>
        array.Select(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw EngineException.Parsing($"[{context}] _source patterns must be strings")).ToList();
}
