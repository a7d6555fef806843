using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>
/// Parses the <c>highlight</c> section of <c>_search</c>: the top-level options, <c>fields</c> (object or array form)
/// and each field's overrides. What Elasticsearch has and the engine does not is refused by name.
/// </summary>
internal static class HighlightParser
{
    /// <summary>Elasticsearch's <c>tags_schema: styled</c> pre tag the plain highlighter uses (it uses the first tag only).</summary>
    public const string StyledPreTag = "<em class=\"hlt\">";

    /// <summary>Options of the fast vector and unified highlighters' boundary logic and other parts the engine does not implement.</summary>
    private static readonly HashSet<string> Refused =
    [
        "boundary_scanner", "boundary_chars", "boundary_max_scan", "boundary_scanner_locale", "matched_fields", "phrase_limit",
        "fragment_offset", "force_source", "highlight_filter", "options", "max_fragment_length",
    ];

    /// <exception cref="EngineException">What Elasticsearch answers for a malformed section, or the refusal of what is not implemented.</exception>
    public static HighlightSpec Parse(JsonObject highlight)
    {
        var options = new HighlightOptions();
        List<HighlightField>? fields = null;
        var html = false;
        string? tagsSchema = null;
        foreach (var (key, value) in highlight)
        {
            switch (key)
            {
                case "fields":
                    fields = ParseFields(value);
                    break;
                case "encoder":
                    var encoder = JsonArgs.ReadText(value, key);
                    html = encoder switch
                    {
                        "html" => true,
                        "default" => false,
                        _ => throw EngineException.IllegalArgument($"Unknown encoder [{encoder}]"),
                    };
                    break;
                case "tags_schema":
                    tagsSchema = JsonArgs.ReadText(value, key);
                    if (tagsSchema is not ("styled" or "default"))
                    {
                        throw EngineException.IllegalArgument($"Unknown tag schema [{tagsSchema}]");
                    }

                    break;
                default:
                    options = ParseOption(options, key, value, "highlight");
                    break;
            }
        }

        if (tagsSchema is not null && options.PreTags is null)
        {
            options = options with
            {
                PreTags = [tagsSchema == "styled" ? StyledPreTag : "<em>"],
                PostTags = options.PostTags ?? ["</em>"],
            };
        }

        CheckTags(options, "Highlighter global preTags are set, but global postTags are not set");
        return new HighlightSpec(fields ?? [], options, html);
    }

    private static List<HighlightField> ParseFields(JsonNode? value)
    {
        var fields = new List<HighlightField>();
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, options) in obj)
                {
                    fields.Add(ParseField(name, options));
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not JsonObject { Count: 1 } single)
                    {
                        throw EngineException.IllegalArgument("If highlighter fields is an array it must contain objects containing a single field");
                    }

                    var (name, options) = single.First();
                    fields.Add(ParseField(name, options));
                }

                break;
            default:
                throw SearchErrors.XContentParse($"[highlight] fields doesn't support values of type: {JsonArgs.TokenName(value)}");
        }

        return fields;
    }

    private static HighlightField ParseField(string name, JsonNode? value)
    {
        if (value is not JsonObject obj)
        {
            throw SearchErrors.XContentParse($"[highlight_field] {name} doesn't support values of type: {JsonArgs.TokenName(value)}");
        }

        var options = new HighlightOptions();
        foreach (var (key, option) in obj)
        {
            options = ParseOption(options, key, option, "highlight_field");
        }

        CheckTags(options, $"pre_tags are set but post_tags are not set for field [{name}]");
        return new HighlightField(name, options);
    }

    private static HighlightOptions ParseOption(HighlightOptions options, string key, JsonNode? value, string section)
    {
        if (Refused.Contains(key))
        {
            throw SearchErrors.Unsupported($"highlight [{key}]");
        }

        return key switch
        {
            "pre_tags" => options with { PreTags = ReadTags(value, key) },
            "post_tags" => options with { PostTags = ReadTags(value, key) },
            "fragment_size" => options with { FragmentSize = NonNegative(value, key) },
            "number_of_fragments" => options with { NumberOfFragments = NonNegative(value, key) },
            "no_match_size" => options with { NoMatchSize = NonNegative(value, key) },
            "order" => options with { ScoreOrdered = ReadOrder(value) },
            "require_field_match" => options with { RequireFieldMatch = JsonArgs.ReadBool(value) },
            "highlight_query" => options with
            {
                HighlightQuery = QueryDslParser.ParseNode(value as JsonObject
                    ?? throw SearchErrors.XContentParse($"[{section}] highlight_query doesn't support values of type: {JsonArgs.TokenName(value)}")),
            },
            "type" => ReadType(options, value),
            "fragmenter" => options with { SpanFragmenter = ReadFragmenter(value) },
            "max_analyzed_offset" => options with { MaxAnalyzedOffset = ReadMaxAnalyzedOffset(value) },
            _ => throw SearchErrors.XContentParse($"[{section}] unknown field [{key}]"),
        };
    }

    private static List<string> ReadTags(JsonNode? value, string key)
    {
        if (value is JsonArray array)
        {
            return [.. array.Select(tag => JsonArgs.ReadText(tag, key))];
        }

        return [JsonArgs.ReadText(value, key)];
    }

    private static int NonNegative(JsonNode? value, string key)
    {
        var number = JsonArgs.ReadInt(value);
        return number >= 0 ? number : throw EngineException.IllegalArgument($"[{key}] must be a non-negative integer, got [{number}]");
    }

    private static bool ReadOrder(JsonNode? value)
    {
        var order = JsonArgs.ReadText(value, "order");
        return order.ToLowerInvariant() switch
        {
            "score" => true,
            "none" => false,
            _ => throw EngineException.IllegalArgument($"No enum constant org.elasticsearch.search.fetch.subphase.highlight.HighlightBuilder.Order.{order.ToUpperInvariant()}"),
        };
    }

    private static HighlightOptions ReadType(HighlightOptions options, JsonNode? value)
    {
        var type = JsonArgs.ReadText(value, "type");
        return type switch
        {
            "plain" or "unified" => options,
            "fvh" => throw SearchErrors.Unsupported("highlight [type] [fvh] (the fast vector highlighter)"),
            _ => throw EngineException.IllegalArgument($"unknown highlighter type [{type}]"),
        };
    }

    private static bool ReadFragmenter(JsonNode? value)
    {
        var fragmenter = JsonArgs.ReadText(value, "fragmenter");
        return fragmenter switch
        {
            "span" => true,
            "simple" => false,
            _ => throw EngineException.IllegalArgument($"unknown fragmenter option [{fragmenter}] for the field"),
        };
    }

    private static int? ReadMaxAnalyzedOffset(JsonNode? value)
    {
        var number = JsonArgs.ReadInt(value);
        return number switch
        {
            -1 => null,
            > 0 => number,
            _ => throw EngineException.IllegalArgument("[max_analyzed_offset] must be a positive integer, or -1"),
        };
    }

    private static void CheckTags(HighlightOptions options, string message)
    {
        if (options.PreTags is not null && options.PostTags is null)
        {
            throw EngineException.IllegalArgument(message);
        }
    }
}
