using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>Parses, merges and writes index mappings in Elasticsearch's JSON form.</summary>
/// <remarks>
/// Root parameters: <c>properties</c>, <c>dynamic</c>, <c>_meta</c>, <c>date_detection</c>, <c>numeric_detection</c>,
/// <c>dynamic_date_formats</c>. Root parameters Elasticsearch has and the engine lacks (<c>_source</c>, <c>_routing</c>,
/// <c>runtime</c>, <c>dynamic_templates</c>, ...) are rejected by name; any other key is Elasticsearch's "Root mapping
/// definition has unsupported parameters". Every parse failure is wrapped as Elasticsearch's <c>MapperService</c> wraps
/// it: <c>mapper_parsing_exception</c> "Failed to parse mapping: ..." caused by the specific error.
/// </remarks>
internal static class MappingParser
{
    private static readonly string[] UnsupportedRootParameters =
        ["_source", "_routing", "_field_names", "runtime", "dynamic_templates", "subobjects", "enabled", "_data_stream_timestamp", "_size", "_doc_count", "_tier", "_ignored", "_index", "_id"];

    /// <summary>Index options Elasticsearch 8.14+ reports for an indexed float vector that sets none.</summary>
    internal static JsonObject DefaultIndexOptions => new() { ["type"] = "int8_hnsw", ["m"] = 16, ["ef_construction"] = 100 };

    /// <summary>The <c>mappings</c> object of <c>PUT /&lt;index&gt;</c>; null gives an empty dynamic mapping.</summary>
    /// <exception cref="EngineException"><c>mapper_parsing_exception</c> naming the field and parameter.</exception>
    public static IndexMapping Parse(JsonObject? mappings, string index)
    {
        if (mappings is null)
        {
            return IndexMapping.Empty;
        }

        try
        {
            return ParseRoot(mappings);
        }
        catch (EngineException e)
        {
            throw MappingErrors.FailedToParse(e);
        }
    }

    /// <summary><c>PUT /&lt;index&gt;/_mapping</c> and dynamic updates: <paramref name="current"/> with <paramref name="update"/> applied.</summary>
    /// <exception cref="EngineException"><c>mapper_parsing_exception</c> for a malformed update; <c>illegal_argument_exception</c>
    /// when it changes an existing field's type or a parameter that cannot be updated.</exception>
    public static IndexMapping Merge(IndexMapping current, JsonObject update, string index)
    {
        var parsed = Parse(update, index);
        var properties = MappingMerger.MergeProperties(current.Properties, parsed.Properties);
        bool Set(string parameter) => parsed.Configured.Contains(parameter, StringComparer.Ordinal);
        // _meta is replaced as a whole, not merged, as Elasticsearch does.
        var meta = update.ContainsKey("_meta") ? parsed.Meta : current.Meta;
        return new IndexMapping(properties, Set("dynamic") ? parsed.Dynamic : current.Dynamic, meta)
        {
            DateDetection = Set("date_detection") ? parsed.DateDetection : current.DateDetection,
            NumericDetection = Set("numeric_detection") ? parsed.NumericDetection : current.NumericDetection,
            DynamicDateFormats = Set("dynamic_date_formats") ? parsed.DynamicDateFormats : current.DynamicDateFormats,
            Configured = [.. current.Configured.Union(parsed.Configured, StringComparer.Ordinal)],
        };
    }

    /// <summary>The <c>mappings</c> object as <c>GET /&lt;index&gt;/_mapping</c> shows it.</summary>
    public static JsonObject ToJson(IndexMapping mapping)
    {
        var json = new JsonObject();
        bool Set(string parameter) => mapping.Configured.Contains(parameter, StringComparer.Ordinal);
        if (Set("dynamic"))
        {
            json["dynamic"] = DynamicName(mapping.Dynamic);
        }

        if (Set("dynamic_date_formats"))
        {
            json["dynamic_date_formats"] = new JsonArray([.. (mapping.DynamicDateFormats ?? []).Select(f => (JsonNode)JsonValue.Create(f))]);
        }

        if (Set("date_detection"))
        {
            json["date_detection"] = mapping.DateDetection;
        }

        if (Set("numeric_detection"))
        {
            json["numeric_detection"] = mapping.NumericDetection;
        }

        if (mapping.Meta is not null)
        {
            json["_meta"] = mapping.Meta.DeepClone();
        }

        if (mapping.Properties.Count > 0)
        {
            json["properties"] = PropertiesJson(mapping.Properties);
        }

        return json;
    }

    /// <summary>Elasticsearch's spelling of a <c>dynamic</c> value in <c>GET _mapping</c> (a string).</summary>
    public static string DynamicName(DynamicMode mode) => mode switch
    {
        DynamicMode.False => "false",
        DynamicMode.Strict => "strict",
        _ => "true",
    };

    private static IndexMapping ParseRoot(JsonObject mappings)
    {
        IReadOnlyDictionary<string, FieldMapping> properties = new Dictionary<string, FieldMapping>(StringComparer.Ordinal);
        var dynamic = DynamicMode.True;
        JsonObject? meta = null;
        var dateDetection = true;
        var numericDetection = false;
        IReadOnlyList<string>? dateFormats = null;
        var configured = new List<string>();
        var remaining = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (key, value) in mappings)
        {
            switch (key)
            {
                case "properties":
                    properties = FieldMappingParser.ParseProperties(value, "");
                    break;
                case "dynamic":
                    dynamic = FieldMappingParser.ParseDynamic(value, "_doc");
                    configured.Add(key);
                    break;
                case "_meta":
                    meta = value as JsonObject ?? throw MappingErrors.Parsing($"[_meta] must be an object, got {JavaText.Of(value)}");
                    meta = (JsonObject)meta.DeepClone();
                    break;
                case "date_detection":
                    dateDetection = FieldMappingParser.ParseBoolean(value, "date_detection");
                    configured.Add(key);
                    break;
                case "numeric_detection":
                    numericDetection = FieldMappingParser.ParseBoolean(value, "numeric_detection");
                    configured.Add(key);
                    break;
                case "dynamic_date_formats":
                    dateFormats = ParseDateFormats(value);
                    configured.Add(key);
                    break;
                default:
                    if (UnsupportedRootParameters.Contains(key, StringComparer.Ordinal))
                    {
                        throw MappingErrors.Unsupported($"the root mapping parameter [{key}]");
                    }

                    remaining.Add(new(key, value));
                    break;
            }
        }

        if (remaining.Count > 0)
        {
            throw MappingErrors.Parsing("Root mapping definition has unsupported parameters: " + FieldMappingParser.RemainingFields(remaining));
        }

        return new IndexMapping(properties, dynamic, meta)
        {
            DateDetection = dateDetection,
            NumericDetection = numericDetection,
            DynamicDateFormats = dateFormats,
            Configured = configured,
        };
    }

    private static List<string> ParseDateFormats(JsonNode? value)
    {
        var formats = value switch
        {
            JsonArray array => array.Select(JavaText.Of).ToList(),
            JsonValue single when single.GetValueKind() == JsonValueKind.String => [single.GetValue<string>()],
            _ => throw MappingErrors.Parsing($"Dynamic date formats should be an array or a string, got [{JavaText.Of(value)}]"),
        };
        foreach (var format in formats)
        {
            try
            {
                DateFormat.Create(format);
            }
            catch (ArgumentException e)
            {
                throw EngineException.IllegalArgument(e.Message);
            }
        }

        return formats;
    }

    private static JsonObject PropertiesJson(IReadOnlyDictionary<string, FieldMapping> properties)
    {
        var json = new JsonObject();
        foreach (var name in properties.Keys.Order(StringComparer.Ordinal))
        {
            json[name] = FieldJson(properties[name]);
        }

        return json;
    }

    private static JsonObject FieldJson(FieldMapping field)
    {
        var json = new JsonObject();
        if (field.Type == FieldType.Object)
        {
            if (field.Properties is not { Count: > 0 })
            {
                json["type"] = "object";
            }

            if (field.Dynamic is { } dynamic)
            {
                json["dynamic"] = DynamicName(dynamic);
            }

            if (!field.Enabled)
            {
                json["enabled"] = false;
            }

            if (field.Properties is { Count: > 0 })
            {
                json["properties"] = PropertiesJson(field.Properties);
            }

            return json;
        }

        json["type"] = FieldTypes.Name(field.Type);
        if (field.Type == FieldType.DenseVector)
        {
            if (field.Dims is { } dims)
            {
                json["dims"] = dims;
            }

            json["index"] = field.Index;
            if (field.Similarity is { } similarity)
            {
                json["similarity"] = FieldMappingParser.SimilarityName(similarity);
            }

            if (field.Index)
            {
                json["index_options"] = field.IndexOptions?.DeepClone() ?? DefaultIndexOptions;
            }

            AddMeta(json, field);
            return json;
        }

        if (field.Type == FieldType.Binary)
        {
            if (field.DocValues)
            {
                json["doc_values"] = true;
            }

            AddMeta(json, field);
            return json;
        }

        if (field.Type == FieldType.Date && field.Format is not null)
        {
            json["format"] = field.Format;
        }

        if (field.Type == FieldType.Text && field.Analyzer is not null and not EngineAnalyzers.Default)
        {
            json["analyzer"] = field.Analyzer;
        }

        if (!field.Index)
        {
            json["index"] = false;
        }

        if (!field.DocValues)
        {
            json["doc_values"] = false;
        }

        if (!field.Norms)
        {
            json["norms"] = false;
        }

        if (field.TextSimilarity is not null)
        {
            json["similarity"] = field.TextSimilarity;
        }

        if (field.PositionIncrementGap != EngineAnalyzers.DefaultPositionIncrementGap)
        {
            json["position_increment_gap"] = field.PositionIncrementGap;
        }

        if (field.IgnoreAbove is { } ignoreAbove)
        {
            json["ignore_above"] = ignoreAbove;
        }

        if (!field.Coerce)
        {
            json["coerce"] = false;
        }

        if (field.IgnoreMalformed)
        {
            json["ignore_malformed"] = true;
        }

        if (field.NullValue is not null)
        {
            json["null_value"] = field.NullValue.DeepClone();
        }

        AddMeta(json, field);
        if (field.Fields is { Count: > 0 })
        {
            json["fields"] = PropertiesJson(field.Fields);
        }

        return json;
    }

    private static void AddMeta(JsonObject json, FieldMapping field)
    {
        if (field.Meta is { Count: > 0 })
        {
            json["meta"] = field.Meta.DeepClone();
        }
    }
}
