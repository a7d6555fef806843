using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>Parses <c>sort</c> as Elasticsearch's <c>SortBuilder.fromXContent</c> and <c>RestSearchAction</c> do.</summary>
internal static class SortParser
{
    /// <summary>A body <c>sort</c>: a string, an object (<c>{"f": "desc"}</c>, <c>{"f": {"order": ...}}</c>) or an array of them.</summary>
    public static List<SortClause> ParseBody(JsonNode sort)
    {
        var clauses = new List<SortClause>();
        switch (sort)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    switch (item)
                    {
                        case JsonObject obj:
                            ParseCompound(obj, clauses);
                            break;
                        case JsonValue value when JsonArgs.IsString(value):
                            clauses.Add(FieldOrScore(value.GetValue<string>()));
                            break;
                        default:
                            throw EngineException.IllegalArgument("malformed sort format, within the sort array, an object, or an actual string are allowed");
                    }
                }

                break;
            case JsonObject obj:
                ParseCompound(obj, clauses);
                break;
            case JsonValue value when JsonArgs.IsString(value):
                clauses.Add(FieldOrScore(value.GetValue<string>()));
                break;
            default:
                // Numbers and booleans reach SearchSourceBuilder.sort(parser.text()) as a field name.
                clauses.Add(FieldOrScore(JsonArgs.Text(sort)));
                break;
        }

        return clauses;
    }

    /// <summary>
    /// The URL <c>sort</c> (<c>f:asc,g</c>). As in Elasticsearch, an entry whose text after the last colon is neither
    /// <c>asc</c> nor <c>desc</c> adds no sort.
    /// </summary>
    public static IEnumerable<SortClause> ParseUrl(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            var colon = entry.LastIndexOf(':');
            if (colon < 0)
            {
                yield return FieldOrScore(entry);
                continue;
            }

            var field = entry[..colon];
            var order = entry[(colon + 1)..];
            if (order is "asc" or "desc")
            {
                yield return FieldOrScore(field) with { Descending = order == "desc" };
            }
        }
    }

    private static SortClause FieldOrScore(string name) => name switch
    {
        "_score" => SortClause.ScoreDescending,
        "_doc" => new SortClause(SortKind.Doc, "_doc", Descending: false),
        "_shard_doc" => new SortClause(SortKind.ShardDoc, "_shard_doc", Descending: false),
        _ => new SortClause(SortKind.Field, name, Descending: false),
    };

    private static void ParseCompound(JsonObject obj, List<SortClause> clauses)
    {
        foreach (var (name, value) in obj)
        {
            if (JsonArgs.IsString(value))
            {
                clauses.Add(FieldOrScore(name) with { Descending = ParseOrder(value!.GetValue<string>()) });
                continue;
            }

            if (name is "_script" or "_geo_distance")
            {
                throw SearchErrors.Unsupported($"sorting by [{name}]");
            }

            if (value is not JsonObject options)
            {
                throw SearchErrors.XContentParse($"[{(name == "_score" ? "_score" : "field_sort")}] failed to parse field [{name}]");
            }

            clauses.Add(name == "_score" ? ParseScoreOptions(options) : ParseFieldOptions(name, options));
        }
    }

    private static SortClause ParseScoreOptions(JsonObject options)
    {
        var clause = SortClause.ScoreDescending;
        foreach (var (key, value) in options)
        {
            clause = key == "order"
                ? clause with { Descending = ParseOrder(JsonArgs.ReadText(value, key)) }
                : throw SearchErrors.XContentParse($"[_score] unknown field [{key}]");
        }

        return clause;
    }

    private static SortClause ParseFieldOptions(string name, JsonObject options)
    {
        var clause = FieldOrScore(name);
        foreach (var (key, value) in options)
        {
            clause = key switch
            {
                "order" => clause with { Descending = ParseOrder(JsonArgs.ReadText(value, key)) },
                "missing" => clause with
                {
                    Missing = JsonArgs.IsValue(value) && value is not null
                        ? value.DeepClone()
                        : throw SearchErrors.XContentParse($"[field_sort] missing doesn't support values of type: {JsonArgs.TokenName(value)}"),
                },
                "unmapped_type" => clause with { UnmappedType = JsonArgs.ReadText(value, key) },
                "mode" => clause with { Mode = ParseMode(JsonArgs.ReadText(value, key)) },
                "numeric_type" or "format" or "nested" => throw SearchErrors.Unsupported($"[{key}] in a field sort"),
                _ => throw SearchErrors.XContentParse($"[field_sort] unknown field [{key}]"),
            };
        }

        return clause;
    }

    private static bool ParseOrder(string text) => text.ToLowerInvariant() switch
    {
        "asc" => false,
        "desc" => true,
        _ => throw EngineException.IllegalArgument($"Unknown SortOrder [{text}]"),
    };

    private static string ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "min" or "max" or "sum" or "avg" or "median" => text.ToLowerInvariant(),
        _ => throw EngineException.IllegalArgument($"Unknown SortMode [{text}]"),
    };
}
