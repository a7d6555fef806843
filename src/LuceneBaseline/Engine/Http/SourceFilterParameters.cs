using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>
/// Reads the source filtering of the get, mget, update and bulk APIs (<c>_source</c>, <c>_source_includes</c>,
/// <c>_source_excludes</c>) into the <see cref="SourceSpec"/> the search API filters with, so that every API keeps and
/// drops the same paths.
/// </summary>
internal static class SourceFilterParameters
{
    /// <summary>Reads the URL form: <c>_source=false</c>, <c>_source=a,b.*</c>, <c>_source_includes</c>, <c>_source_excludes</c>.</summary>
    public static SourceSpec Read(RestRequest request, bool defaultFetch)
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

        return new SourceSpec(fetch, includes, excludes);
    }

    /// <summary>Reads the body form: <c>true</c>, <c>false</c>, a pattern, an array of patterns, or <c>{"includes", "excludes"}</c>.</summary>
    public static SourceSpec Parse(JsonNode? node, string context)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() is JsonValueKind.True:
                return SourceSpec.All;
            case JsonValue value when value.GetValueKind() is JsonValueKind.False:
                return SourceSpec.None;
            case JsonValue value when value.GetValueKind() is JsonValueKind.String:
                return new SourceSpec(true, [value.GetValue<string>()], []);
            case JsonArray array:
                return new SourceSpec(true, Strings(array, context), []);
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

                return new SourceSpec(true, includes, excludes);
            }

            default:
                throw EngineException.Parsing($"[{context}] _source must be a boolean, a string, an array of strings or an object");
        }
    }

    private static List<string> Split(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> Strings(JsonArray array, string context) =>
        array.Select(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw EngineException.Parsing($"[{context}] _source patterns must be strings")).ToList();
}
