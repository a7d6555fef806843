using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>Parses the body of <c>_mget</c>: <c>{"docs": [{"_index", "_id", "_source"}]}</c> or <c>{"ids": [...]}</c>.</summary>
internal static class MultiGetBody
{
    public sealed record Item(string Index, string Id, SourceSpec Filter);

    public static List<Item> Parse(JsonObject body, string? defaultIndex, SourceSpec defaultFilter)
    {
        var items = new List<Item>();
        var problems = new List<string>();
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "docs":
                    foreach (var doc in Array(key, value))
                    {
                        if (doc is not JsonObject spec)
                        {
                            throw EngineException.Parsing("docs array element should include an object");
                        }

                        items.Add(ParseDoc(spec, defaultIndex, defaultFilter, items.Count, problems));
                    }

                    break;
                case "ids":
                    foreach (var id in Array(key, value))
                    {
                        if (defaultIndex is null)
                        {
                            problems.Add($"index is missing for doc {items.Count}");
                        }

                        items.Add(new Item(defaultIndex ?? "", IdText(id), defaultFilter));
                    }

                    break;
                default:
                    throw EngineException.Parsing($"unknown key [{key}] for a {TokenName(value)}, expected [docs] or [ids]");
            }
        }

        if (items.Count == 0)
        {
            problems.Insert(0, "no documents to get");
        }

        if (problems.Count > 0)
        {
            throw EngineException.Validation(problems);
        }

        return items;
    }

    private static Item ParseDoc(JsonObject spec, string? defaultIndex, SourceSpec defaultFilter, int position, List<string> problems)
    {
        var index = defaultIndex;
        string? id = null;
        var filter = defaultFilter;
        foreach (var (key, value) in spec)
        {
            switch (key)
            {
                case "_index":
                    index = value?.GetValue<string>();
                    break;
                case "_id":
                    id = IdText(value);
                    break;
                case "_source":
                    filter = SourceFilterParameters.Parse(value, "mget");
                    break;
                case "routing" or "_routing":
                    break;
                case "stored_fields" when value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "_none_":
                    break;
                default:
                    throw EngineException.Parsing($"Unknown key for a {TokenName(value)} in [{key}].");
            }
        }

        if (index is null)
        {
            problems.Add($"index is missing for doc {position}");
        }

        if (id is null)
        {
            problems.Add($"id is missing for doc {position}");
        }

        return new Item(index ?? "", id ?? "", filter);
    }

    private static JsonArray Array(string key, JsonNode? value) =>
        value as JsonArray ?? throw EngineException.Parsing($"{key} must be an array");

    /// <summary>Ids may be given as strings or numbers, as Elasticsearch accepts.</summary>
    private static string IdText(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => throw EngineException.Parsing("ids must be strings or numbers"),
    };

    private static string TokenName(JsonNode? value) => value switch
    {
        JsonObject => "START_OBJECT",
        JsonArray => "START_ARRAY",
        _ => "VALUE",
    };
}
