using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Errors;

namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>
/// Parses the <c>properties</c> of a mapping (or of an object field) into <see cref="FieldMapping"/>s, validating
/// every parameter per type. Errors are Elasticsearch's, unwrapped (<see cref="MappingParser"/> adds the
/// "Failed to parse mapping" wrapper).
/// </summary>
internal static class FieldMappingParser
{
    /// <summary>Largest <c>dims</c> of a dense_vector (Elasticsearch 8.11+).</summary>
    public const int MaxDims = 4096;

    private static readonly HashSet<string> UnsupportedTypes = new(StringComparer.Ordinal)
    {
        "nested", "flattened", "geo_point", "geo_shape", "point", "shape", "ip", "scaled_float", "unsigned_long",
        "integer_range", "float_range", "long_range", "double_range", "date_range", "ip_range", "date_nanos", "wildcard",
        "constant_keyword", "match_only_text", "search_as_you_type", "completion", "token_count", "alias", "join",
        "percolator", "rank_feature", "rank_features", "sparse_vector", "semantic_text", "histogram", "version", "murmur3",
        "annotated_text", "aggregate_metric_double", "counted_keyword", "passthrough", "icu_collation_keyword",
        "exponential_histogram", "pattern_text",
    };

    /// <summary>Field names Elasticsearch reserves for metadata fields.</summary>
    public static readonly HashSet<string> MetadataFields = new(StringComparer.Ordinal)
    {
        "_id", "_index", "_source", "_routing", "_seq_no", "_version", "_primary_term", "_field_names", "_ignored",
        "_doc_count", "_data_stream_timestamp", "_tier", "_nested_path", "_feature", "_tsid", "_ignored_source",
    };

    // Elasticsearch parameters the engine does not implement, per type family: rejected by name rather than as unknown.
    private static readonly string[] CommonUnsupported = ["store", "copy_to", "script", "on_script_error"];
    private static readonly string[] TextUnsupported =
        ["index_options", "index_phrases", "index_prefixes", "search_quote_analyzer", "term_vector", "fielddata", "fielddata_frequency_filter", "eager_global_ordinals"];
    private static readonly string[] KeywordUnsupported =
        ["normalizer", "split_queries_on_whitespace", "eager_global_ordinals", "index_options", "norms", "time_series_dimension"];
    private static readonly string[] NumberUnsupported = ["time_series_dimension", "time_series_metric"];
    private static readonly string[] DateUnsupported = ["locale"];
    private static readonly string[] BooleanUnsupported = ["ignore_malformed"];

    // The parameters several types take, each read the same way on all of them; a type lists those it takes.
    private static readonly Dictionary<string, Func<FieldMapping, JsonNode?, string, FieldMapping>> SharedParameters = new(StringComparer.Ordinal)
    {
        ["index"] = (field, value, _) => field with { Index = ParseBoolean(value) },
        ["doc_values"] = (field, value, _) => field with { DocValues = ParseBoolean(value) },
        ["norms"] = (field, value, _) => field with { Norms = ParseBoolean(value) },
        ["coerce"] = (field, value, _) => field with { Coerce = ParseBoolean(value) },
        ["ignore_malformed"] = (field, value, _) => field with { IgnoreMalformed = ParseBoolean(value) },
        ["null_value"] = (field, value, _) => field with { NullValue = value is null ? null : ParseNullValue(field.Type, value) },
        ["fields"] = (field, value, name) => field with { Fields = ParseMultiFields(field.Path, name, value) },
        ["meta"] = (field, value, name) => field with { Meta = ParseMeta(value, name) },
        // The name is checked against the index's similarities by the index (Store/SimilaritySettings), which knows them.
        ["similarity"] = (field, value, _) => field with { TextSimilarity = value is null ? null : JavaText.Of(value) },
    };

    private static readonly string[] TextShared = ["index", "norms", "fields", "meta", "similarity"];
    private static readonly string[] KeywordShared = ["index", "doc_values", "null_value", "fields", "meta", "similarity"];
    private static readonly string[] NumberShared = ["index", "doc_values", "coerce", "ignore_malformed", "null_value", "fields", "meta"];
    private static readonly string[] BooleanShared = ["index", "doc_values", "null_value", "fields", "meta"];
    private static readonly string[] DateShared = ["index", "doc_values", "ignore_malformed", "null_value", "fields", "meta"];
    private static readonly string[] DenseVectorShared = ["index", "meta"];
    private static readonly string[] BinaryShared = ["doc_values", "meta"];

    private static readonly Dictionary<string, VectorSimilarity> Similarities = new(StringComparer.Ordinal)
    {
        ["l2_norm"] = VectorSimilarity.L2Norm,
        ["cosine"] = VectorSimilarity.Cosine,
        ["dot_product"] = VectorSimilarity.DotProduct,
        ["max_inner_product"] = VectorSimilarity.MaxInnerProduct,
    };

    // index_options types and the keys each allows besides `type`.
    private static readonly Dictionary<string, string[]> VectorIndexTypes = new(StringComparer.Ordinal)
    {
        ["hnsw"] = ["m", "ef_construction"],
        ["int8_hnsw"] = ["m", "ef_construction", "confidence_interval", "rescore_vector"],
        ["int4_hnsw"] = ["m", "ef_construction", "confidence_interval", "rescore_vector"],
        ["bbq_hnsw"] = ["m", "ef_construction", "rescore_vector"],
        ["flat"] = [],
        ["int8_flat"] = ["confidence_interval", "rescore_vector"],
        ["int4_flat"] = ["confidence_interval", "rescore_vector"],
        ["bbq_flat"] = ["rescore_vector"],
    };

    /// <summary>Elasticsearch's name of a similarity.</summary>
    public static string SimilarityName(VectorSimilarity similarity) => Similarities.First(s => s.Value == similarity).Key;

    /// <summary>
    /// The children of <paramref name="properties"/> (a <c>properties</c> value) under <paramref name="prefix"/>
    /// (<c>""</c> at the root, else the object's path and a dot). Dotted names expand into objects.
    /// </summary>
    public static Dictionary<string, FieldMapping> ParseProperties(JsonNode? properties, string prefix)
    {
        var result = new Dictionary<string, FieldMapping>(StringComparer.Ordinal);
        if (properties is JsonArray { Count: 0 })
        {
            return result;
        }

        if (properties is not JsonObject obj)
        {
            throw new EngineException(400, "parse_exception", "properties must be a map type");
        }

        foreach (var (name, definition) in obj)
        {
            var segments = SplitName(name);
            var field = ParseField(prefix + name, segments[^1], definition, prefix.Length == 0 && segments.Length == 1);
            for (var i = segments.Length - 2; i >= 0; i--)
            {
                var path = prefix + string.Join('.', segments[..(i + 1)]);
                field = new FieldMapping
                {
                    Path = path,
                    Type = FieldType.Object,
                    Properties = new Dictionary<string, FieldMapping>(StringComparer.Ordinal) { [segments[i + 1]] = field },
                };
            }

            result[segments[0]] = result.TryGetValue(segments[0], out var existing) ? MappingMerger.MergeField(existing, field) : field;
        }

        return result;
    }

    /// <summary>The object mapping at <paramref name="path"/> for a dynamic object (no parameters).</summary>
    public static FieldMapping NewObject(string path) =>
        new() { Path = path, Type = FieldType.Object, Properties = new Dictionary<string, FieldMapping>(StringComparer.Ordinal) };

    /// <summary><c>dynamic</c> as Elasticsearch reads it: <c>strict</c> or <c>runtime</c> (any case), else a boolean.</summary>
    public static DynamicMode ParseDynamic(JsonNode? value, string owner)
    {
        var text = JavaText.Of(value);
        if (text.Equals("strict", StringComparison.OrdinalIgnoreCase))
        {
            return DynamicMode.Strict;
        }

        if (text.Equals("runtime", StringComparison.OrdinalIgnoreCase))
        {
            throw MappingErrors.Unsupported($"[dynamic] [runtime] on [{owner}]: runtime fields are not implemented");
        }

        return text switch
        {
            "true" => DynamicMode.True,
            "false" => DynamicMode.False,
            _ => throw new EngineException(400, "illegal_argument_exception", $"Could not convert [{owner}.dynamic] to boolean"),
        };
    }

    /// <summary>Splits a mapped or document field name at dots, rejecting empty, blank and dot-only segments as Elasticsearch does.</summary>
    public static string[] SplitName(string name)
    {
        if (name.Length == 0)
        {
            throw EngineException.IllegalArgument("field name cannot be an empty string");
        }

        if (!name.Contains('.', StringComparison.Ordinal))
        {
            return string.IsNullOrWhiteSpace(name)
                ? throw EngineException.IllegalArgument($"field name cannot contain only whitespace: ['{name}']")
                : [name];
        }

        if (name.All(c => c == '.'))
        {
            throw EngineException.IllegalArgument("field name cannot contain only dots");
        }

        var segments = name.Split('.');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw EngineException.IllegalArgument($"field name starting or ending with a [.] makes object resolution ambiguous: [{name}]");
            }

            if (string.IsNullOrWhiteSpace(segment))
            {
                throw EngineException.IllegalArgument($"field name cannot contain only whitespace: ['{name}']");
            }
        }

        return segments;
    }

    private static FieldMapping ParseField(string path, string name, JsonNode? definition, bool topLevel)
    {
        if (definition is not JsonObject node)
        {
            throw MappingErrors.Parsing($"Expected map for property [fields] on field [{name}] but got a {JavaClass(definition)}");
        }

        if (topLevel && MetadataFields.Contains(path))
        {
            // Elasticsearch's MappingLookup sees the metadata mapper of that name and this field as two definitions.
            throw MappingErrors.Parsing($"Field [{path}] is defined more than once");
        }

        string type;
        if (node["type"] is { } typeNode)
        {
            type = JavaText.Of(typeNode);
        }
        else if (node.ContainsKey("properties") || node.ContainsKey("dynamic") || node.ContainsKey("enabled"))
        {
            type = "object";
        }
        else
        {
            throw MappingErrors.Parsing($"No type specified for field [{name}]");
        }

        return ParseTyped(path, name, type, node, inMultiField: false);
    }

    private static FieldMapping ParseTyped(string path, string name, string typeName, JsonObject node, bool inMultiField)
    {
        if (!FieldTypes.TryParse(typeName, out var type))
        {
            throw UnsupportedTypes.Contains(typeName)
                ? MappingErrors.Unsupported($"type [{typeName}] on field [{name}]")
                : MappingErrors.Parsing($"No handler for type [{typeName}] declared on field [{name}]");
        }

        if (inMultiField && type == FieldType.Object)
        {
            throw MappingErrors.Parsing($"Type [{typeName}] cannot be used in multi field");
        }

        if (inMultiField && type == FieldType.Binary)
        {
            throw MappingErrors.Unsupported($"type [binary] as a multi-field [{name}]");
        }

        if (inMultiField && type == FieldType.DenseVector)
        {
            throw MappingErrors.Parsing($"Field [{name}] of type [{typeName}] can't be used in multifields");
        }

        return type switch
        {
            FieldType.Object => ParseObject(path, name, node),
            FieldType.Text => ParseText(path, name, node),
            FieldType.Keyword => ParseKeyword(path, name, node),
            FieldType.Boolean => ParseBoolean(path, name, node),
            FieldType.Date => ParseDate(path, name, node),
            FieldType.DenseVector => ParseDenseVector(path, name, node),
            FieldType.Binary => ParseBinary(path, name, node),
            _ => ParseNumber(path, name, type, node),
        };
    }

    private static FieldMapping ParseObject(string path, string name, JsonObject node)
    {
        var field = NewObject(path);
        var remaining = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (key, value) in node)
        {
            switch (key)
            {
                case "type":
                    break;
                case "properties":
                    field = field with { Properties = ParseProperties(value, path + ".") };
                    break;
                case "dynamic":
                    field = field with { Dynamic = ParseDynamic(value, name) };
                    break;
                case "enabled":
                    field = field with { Enabled = ParseBoolean(value, name + ".enabled") };
                    break;
                case "subobjects" or "store_array_source" or "synthetic_source_keep":
                    throw MappingErrors.Unsupported($"parameter [{key}] on object field [{name}]");
                default:
                    remaining.Add(new(key, value));
                    break;
            }
        }

        if (remaining.Count > 0)
        {
            throw MappingErrors.Parsing($"Mapping definition for [{name}] has unsupported parameters: {RemainingFields(remaining)}");
        }

        return field;
    }

    private static FieldMapping ParseText(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.Text, Analyzer = EngineAnalyzers.Default };
        string? searchAnalyzer = null;
        foreach (var (key, value) in Parameters(node, name, "text", TextUnsupported))
        {
            switch (key)
            {
                case "analyzer":
                    field = field with { Analyzer = ParseAnalyzer(value) };
                    break;
                case "search_analyzer":
                    searchAnalyzer = ParseAnalyzer(value);
                    break;
                case "position_increment_gap":
                    var gap = ParseInteger(value);
                    field = gap < 0
                        ? throw MappingErrors.Parsing($"[position_increment_gap] on mapper [{name}] of type [text] must be a non-negative integer, got [{gap}]")
                        : field with { PositionIncrementGap = gap };
                    break;
                default:
                    field = ParseShared(field, key, value, name, "text", TextShared);
                    break;
            }
        }

        if (searchAnalyzer is not null && searchAnalyzer != field.Analyzer)
        {
            throw MappingErrors.Unsupported(
                $"a [search_analyzer] different from the [analyzer] on field [{name}]: [{searchAnalyzer}] vs [{field.Analyzer}]; queries are analysed with the index analyzer");
        }

        return field;
    }

    private static FieldMapping ParseKeyword(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.Keyword };
        foreach (var (key, value) in Parameters(node, name, "keyword", KeywordUnsupported))
        {
            switch (key)
            {
                case "ignore_above":
                    var limit = ParseInteger(value);
                    field = limit < 0
                        ? throw EngineException.IllegalArgument($"[ignore_above] must be positive, got [{limit}]")
                        : field with { IgnoreAbove = limit };
                    break;
                default:
                    field = ParseShared(field, key, value, name, "keyword", KeywordShared);
                    break;
            }
        }

        return field;
    }

    private static FieldMapping ParseNumber(string path, string name, FieldType type, JsonObject node)
    {
        var typeName = FieldTypes.Name(type);
        var field = new FieldMapping { Path = path, Type = type };
        foreach (var (key, value) in Parameters(node, name, typeName, NumberUnsupported))
        {
            field = ParseShared(field, key, value, name, typeName, NumberShared);
        }

        return field;
    }

    private static FieldMapping ParseBoolean(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.Boolean };
        foreach (var (key, value) in Parameters(node, name, "boolean", BooleanUnsupported))
        {
            field = ParseShared(field, key, value, name, "boolean", BooleanShared);
        }

        return field;
    }

    private static FieldMapping ParseDate(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.Date };
        foreach (var (key, value) in Parameters(node, name, "date", DateUnsupported))
        {
            switch (key)
            {
                case "format":
                    var pattern = JavaText.Of(value);
                    field = field with { Format = pattern == DateFormat.DefaultPattern ? null : pattern };
                    break;
                default:
                    field = ParseShared(field, key, value, name, "date", DateShared);
                    break;
            }
        }

        DateFormat format;
        try
        {
            format = DateFormat.Create(field.Format);
        }
        catch (ArgumentException e)
        {
            throw EngineException.IllegalArgument($"Error parsing [format] on field [{name}]: {e.Message}");
        }

        if (field.NullValue is { } nullValue && !format.TryParse(nullValue.GetValue<string>(), out _))
        {
            throw MappingErrors.Parsing(
                $"Error parsing [null_value] on field [{name}]: failed to parse date field [{nullValue.GetValue<string>()}] with format [{format.Pattern}]");
        }

        return field;
    }

    private static FieldMapping ParseDenseVector(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.DenseVector };
        VectorSimilarity? similarity = null;
        var similaritySet = false;
        var similarityNull = false;
        foreach (var (key, value) in Parameters(node, name, "dense_vector", ["fields"], acceptsNull: "similarity"))
        {
            switch (key)
            {
                case "dims":
                    field = field with { Dims = ParseDims(value, name) };
                    break;
                case "similarity":
                    similaritySet = value is not null;
                    similarityNull = value is null;
                    similarity = value is null ? null : ParseSimilarity(value);
                    break;
                case "element_type":
                    ParseElementType(value, name);
                    break;
                case "index_options":
                    field = field with { IndexOptions = ParseIndexOptions(value, name) };
                    break;
                default:
                    field = ParseShared(field, key, value, name, "dense_vector", DenseVectorShared);
                    break;
            }
        }

        if (!field.Index)
        {
            if (similaritySet)
            {
                throw EngineException.IllegalArgument("Field [similarity] can only be specified for a field of type [dense_vector] when it is indexed");
            }

            if (field.IndexOptions is not null)
            {
                throw EngineException.IllegalArgument("Field [index_options] can only be specified for a field of type [dense_vector] when it is indexed");
            }

            return field;
        }

        return similarityNull
            ? throw EngineException.IllegalArgument("Field [index] requires field [similarity] to be configured and not null")
            : field with { Similarity = similarity ?? VectorSimilarity.Cosine };
    }

    /// <summary>
    /// binary (Elasticsearch's <c>BinaryFieldMapper</c>): never searchable (<c>index</c> is not a parameter), doc values off
    /// by default; <c>store</c> is refused with the other types' (the engine stores no fields), and so are multi-fields.
    /// </summary>
    private static FieldMapping ParseBinary(string path, string name, JsonObject node)
    {
        var field = new FieldMapping { Path = path, Type = FieldType.Binary, Index = false, DocValues = false };
        foreach (var (key, value) in Parameters(node, name, "binary", ["fields"]))
        {
            field = ParseShared(field, key, value, name, "binary", BinaryShared);
        }

        return field;
    }

    private static int ParseDims(JsonNode? value, string name)
    {
        if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !int.TryParse(number.ToJsonString(), CultureInfo.InvariantCulture, out var dims))
        {
            throw MappingErrors.Parsing($"Property [dims] on field [{name}] must be an integer but got [{JavaText.Of(value)}]");
        }

        return dims is < 1 or > MaxDims
            ? throw MappingErrors.Parsing($"The number of dimensions for field [{name}] should be in the range [1, {MaxDims}] but was [{dims}]")
            : dims;
    }

    private static VectorSimilarity ParseSimilarity(JsonNode value)
    {
        var text = JavaText.Of(value);
        return Similarities.TryGetValue(text, out var similarity)
            ? similarity
            : throw MappingErrors.Parsing($"Unknown value [{text}] for field [similarity] - accepted values are [l2_norm, cosine, dot_product, max_inner_product]");
    }

    private static void ParseElementType(JsonNode? value, string name)
    {
        var text = JavaText.Of(value);
        switch (text)
        {
            case "float":
                return;
            case "byte" or "bit":
                throw MappingErrors.Unsupported($"[element_type] [{text}] on field [{name}]; only [float] vectors are implemented");
            default:
                throw MappingErrors.Parsing($"invalid element_type [{text}]; available types are [float, byte, bit]");
        }
    }

    private static JsonObject ParseIndexOptions(JsonNode? value, string name)
    {
        if (value is not JsonObject options)
        {
            throw MappingErrors.Parsing($"[index_options] on field [{name}] must be an object, got [{JavaText.Of(value)}]");
        }

        if (options["type"] is not { } typeNode)
        {
            throw MappingErrors.Parsing("[index_options] requires field [type] to be configured");
        }

        var type = JavaText.Of(typeNode);
        if (!VectorIndexTypes.TryGetValue(type, out var allowed))
        {
            throw MappingErrors.Parsing($"Unknown vector index options type [{type}] for field [{name}]");
        }

        var result = new JsonObject { ["type"] = type };
        var remaining = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (key, option) in options)
        {
            if (key == "type")
            {
                continue;
            }

            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                remaining.Add(new(key, option));
                continue;
            }

            result[key] = key switch
            {
                "m" or "ef_construction" => ParseInteger(option),
                "confidence_interval" => ParseFloat(option),
                _ => option?.DeepClone(),
            };
        }

        if (remaining.Count > 0)
        {
            throw MappingErrors.Parsing($"Mapping definition for [{name}] has unsupported parameters: {RemainingFields(remaining)}");
        }

        if (type.EndsWith("hnsw", StringComparison.Ordinal))
        {
            result["m"] ??= 16;
            result["ef_construction"] ??= 100;
        }

        return result;
    }

    private static Dictionary<string, FieldMapping> ParseMultiFields(string path, string name, JsonNode? value)
    {
        if (value is not JsonObject fields)
        {
            throw MappingErrors.Parsing($"Expected map for property [fields] on field [{name}] but got a {JavaClass(value)}");
        }

        var result = new Dictionary<string, FieldMapping>(StringComparer.Ordinal);
        foreach (var (subName, definition) in fields)
        {
            if (subName.Contains('.', StringComparison.Ordinal))
            {
                throw MappingErrors.Parsing($"Field name [{subName}] which is a multi field of [{name}] cannot contain '.'");
            }

            if (subName.Length == 0)
            {
                throw EngineException.IllegalArgument("field name cannot be an empty string");
            }

            if (definition is not JsonObject node)
            {
                throw MappingErrors.Parsing($"Expected map for property [fields] on field [{subName}] but got a {JavaClass(definition)}");
            }

            if (node["type"] is not { } typeNode)
            {
                throw MappingErrors.Parsing($"no type specified for property [{subName}]");
            }

            result[subName] = ParseTyped(path + "." + subName, subName, JavaText.Of(typeNode), node, inMultiField: true);
        }

        return result;
    }

    private static JsonObject ParseMeta(JsonNode? value, string name)
    {
        if (value is not JsonObject meta)
        {
            throw MappingErrors.Parsing($"[meta] must be an object, got {JavaClass(value)}[{JavaText.Of(value)}] for field [{name}]");
        }

        if (meta.Count > 5)
        {
            throw MappingErrors.Parsing($"[meta] can't have more than 5 entries, but got {meta.Count} on field [{name}]");
        }

        var result = new JsonObject();
        foreach (var (key, entry) in meta)
        {
            if (entry is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
            {
                throw MappingErrors.Parsing($"[meta] values can only be strings, but got {JavaClass(entry)}[{JavaText.Of(entry)}] for field [{name}]");
            }

            result[key] = text.GetValue<string>();
        }

        return result;
    }

    /// <summary>A parameter in <see cref="SharedParameters"/> that <paramref name="shared"/> says this type takes; any other is unknown.</summary>
    private static FieldMapping ParseShared(FieldMapping field, string key, JsonNode? value, string name, string typeName, string[] shared) =>
        shared.Contains(key, StringComparer.Ordinal)
            ? SharedParameters[key](field, value, name)
            : throw MappingErrors.UnknownParameter(key, name, typeName);

    /// <summary>A non-null <c>null_value</c> as the field's type reads it (a date's is checked against its format afterwards).</summary>
    private static JsonNode? ParseNullValue(FieldType type, JsonNode value) => type switch
    {
        FieldType.Boolean => JsonValue.Create(ParseBoolean(value)),
        FieldType.Keyword or FieldType.Date => JsonValue.Create(JavaText.Of(value)),
        _ => NumberValues.NullValue(type, value),
    };

    private static string ParseAnalyzer(JsonNode? value)
    {
        var name = JavaText.Of(value);
        return EngineAnalyzers.IsKnown(name)
            ? name
            : throw EngineException.IllegalArgument($"analyzer [{name}] has not been configured in mappings");
    }

    /// <summary>The field's parameters other than <c>type</c>, with unsupported and null values rejected.</summary>
    private static IEnumerable<KeyValuePair<string, JsonNode?>> Parameters(JsonObject node, string name, string type, string[] unsupported, string? acceptsNull = null)
    {
        foreach (var entry in node)
        {
            var key = entry.Key;
            if (key == "type")
            {
                continue;
            }

            if (key == "boost")
            {
                throw MappingErrors.Parsing($"Unknown parameter [boost] on mapper [{name}]");
            }

            if (CommonUnsupported.Contains(key, StringComparer.Ordinal) || unsupported.Contains(key, StringComparer.Ordinal))
            {
                throw MappingErrors.UnsupportedParameter(key, name, type);
            }

            if (entry.Value is null && key != "null_value" && key != acceptsNull)
            {
                throw MappingErrors.Parsing($"[{key}] on mapper [{name}] of type [{type}] must not have a [null] value");
            }

            yield return entry;
        }
    }

    /// <summary>Elasticsearch's <c>nodeBooleanValue</c>: a JSON boolean, or the strings <c>true</c> / <c>false</c>.</summary>
    public static bool ParseBoolean(JsonNode? value, string? parameter = null)
    {
        var text = JavaText.Of(value);
        return parameter is null || JavaBooleans.IsBoolean(text)
            ? JavaBooleans.Parse(text)
            : throw EngineException.IllegalArgument($"Could not convert [{parameter}] to boolean");
    }

    private static int ParseInteger(JsonNode? value)
    {
        var text = JavaText.Of(value);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(text, CultureInfo.InvariantCulture, out var number))
        {
            return number is >= int.MinValue and <= int.MaxValue
                ? (int)number
                : throw new EngineException(400, "illegal_argument_exception", $"Value [{text}] is out of range for an integer");
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new EngineException(400, "number_format_exception", $"For input string: \"{text}\"");
    }

    private static double ParseFloat(JsonNode? value)
    {
        var text = JavaText.Of(value);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new EngineException(400, "number_format_exception", $"For input string: \"{text}\"");
    }

    /// <summary>Elasticsearch's "[key : value]" list of parameters it did not consume (each preceded by a space).</summary>
    public static string RemainingFields(IEnumerable<KeyValuePair<string, JsonNode?>> remaining) =>
        string.Concat(remaining.Select(r => $" [{r.Key} : {JavaText.Of(r.Value)}]"));

    /// <summary>The Java class a JSON value parses into, as Elasticsearch's messages name it.</summary>
    private static string JavaClass(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "class java.util.LinkedHashMap",
        JsonArray => "class java.util.ArrayList",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "class java.lang.String",
            JsonValueKind.True or JsonValueKind.False => "class java.lang.Boolean",
            _ => JsonTokens.IsFloatLiteral(value) ? "class java.lang.Double" : "class java.lang.Integer",
        },
    };
}
