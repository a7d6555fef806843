using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rerank.IngestPipeline.Contracts;

/// <summary>
/// Reads and writes <c>_meta.rerank</c> (schema in docs/index-config.md). Reading checks everything and reports every
/// error at once, each naming its key; an unknown key is an error, so a typo never silently turns a feature off.
/// </summary>
public static class RerankIndexConfigReader
{
    private const string Prefix = "_meta.rerank";

    private static readonly HashSet<string> s_keys =
        [
            "version", "enabled", "model", "text_fields", "separator", "projection_encoding", "fields", "window",
            "max_window", "budget_ms", "score_mode", "linear_weight", "rrf_k", "max_missing_fraction",
        ];

    private static readonly HashSet<string> s_fieldKeys = ["projection", "embedding", "model", "text_hash", "stale"];

    /// <summary>
    /// Finds <c>_meta.rerank</c> in one index's <c>mappings</c> object (as <c>GET /{index}/_mapping</c> returns it).
    /// Returns false when the mapping has none; throws <see cref="RerankConfigException"/> when it has an invalid one.
    /// </summary>
    public static bool TryReadFromMappings(string index, JsonElement mappings, out RerankIndexConfig? config)
    {
        config = null;
        if (mappings.ValueKind != JsonValueKind.Object
            || !mappings.TryGetProperty("_meta", out var meta)
            || meta.ValueKind != JsonValueKind.Object
            || !meta.TryGetProperty(RerankIndexConfig.MetaKey, out var rerank))
        {
            return false;
        }

        config = Read(index, rerank);
        return true;
    }

    /// <summary>Reads the value of <c>_meta.rerank</c>; throws <see cref="RerankConfigException"/> with every error.</summary>
    public static RerankIndexConfig Read(string index, JsonElement rerank)
    {
        var errors = new List<string>();
        if (rerank.ValueKind != JsonValueKind.Object)
        {
            throw new RerankConfigException(index, [$"[{Prefix}] must be an object, got {Describe(rerank)}"]);
        }

        foreach (var property in rerank.EnumerateObject())
        {
            if (!s_keys.Contains(property.Name))
            {
                errors.Add($"unknown key [{Prefix}.{property.Name}] (known: {string.Join(", ", s_keys)})");
            }
        }

        var version = 0;
        if (!rerank.TryGetProperty("version", out var versionElement))
        {
            errors.Add($"[{Prefix}.version] is required (this build reads version {RerankIndexConfig.CurrentVersion})");
        }
        else if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out version))
        {
            errors.Add($"[{Prefix}.version] must be an integer, got {Describe(versionElement)}");
        }
        else if (version != RerankIndexConfig.CurrentVersion)
        {
            errors.Add($"[{Prefix}.version] {version} is not supported (this build reads version {RerankIndexConfig.CurrentVersion})");
        }

        var enabled = true;
        if (rerank.TryGetProperty("enabled", out var enabledElement))
        {
            if (enabledElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = enabledElement.GetBoolean();
            }
            else
            {
                errors.Add($"[{Prefix}.enabled] must be true or false, got {Describe(enabledElement)}");
            }
        }

        var model = "";
        if (!rerank.TryGetProperty("model", out var modelElement))
        {
            errors.Add($"[{Prefix}.model] is required: the model bundle's id (its manifest's modelId)");
        }
        else if (modelElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelElement.GetString()))
        {
            errors.Add($"[{Prefix}.model] must be a non-empty string, got {Describe(modelElement)}");
        }
        else
        {
            model = modelElement.GetString()!;
        }

        var textFields = new List<string>();
        if (!rerank.TryGetProperty("text_fields", out var textFieldsElement))
        {
            errors.Add($"[{Prefix}.text_fields] is required: the source fields that make the passage text");
        }
        else if (textFieldsElement.ValueKind != JsonValueKind.Array || textFieldsElement.GetArrayLength() == 0)
        {
            errors.Add($"[{Prefix}.text_fields] must be a non-empty array of field names, got {Describe(textFieldsElement)}");
        }
        else
        {
            var index2 = 0;
            foreach (var item in textFieldsElement.EnumerateArray())
            {
                var path = $"{Prefix}.text_fields[{index2++}]";
                if (item.ValueKind != JsonValueKind.String)
                {
                    errors.Add($"[{path}] must be a field name, got {Describe(item)}");
                    continue;
                }

                var name = item.GetString()!;
                if (CheckFieldPath(path, name, errors))
                {
                    if (textFields.Contains(name, StringComparer.Ordinal))
                    {
                        errors.Add($"[{path}] names [{name}] twice");
                    }
                    else
                    {
                        textFields.Add(name);
                    }
                }
            }
        }

        var separator = RerankIndexConfig.DefaultSeparator;
        if (rerank.TryGetProperty("separator", out var separatorElement))
        {
            if (separatorElement.ValueKind == JsonValueKind.String)
            {
                separator = separatorElement.GetString()!;
            }
            else
            {
                errors.Add($"[{Prefix}.separator] must be a string, got {Describe(separatorElement)}");
            }
        }

        var encoding = RerankIndexConfig.DefaultProjectionEncoding;
        if (rerank.TryGetProperty("projection_encoding", out var encodingElement)
            && (encodingElement.ValueKind != JsonValueKind.String || !ProjectionEncodingNames.TryParse(encodingElement.GetString(), out encoding)))
        {
            errors.Add($"[{Prefix}.projection_encoding] must be one of {string.Join(", ", ProjectionEncodingNames.All)}, got {Describe(encodingElement)}");
        }

        var window = RerankIndexConfig.DefaultWindow;
        if (rerank.TryGetProperty("window", out var windowElement)
            && (windowElement.ValueKind != JsonValueKind.Number || !windowElement.TryGetInt32(out window)
                || window < 1 || window > RerankIndexConfig.WindowLimit))
        {
            errors.Add($"[{Prefix}.window] must be an integer from 1 to {RerankIndexConfig.WindowLimit}, got {Describe(windowElement)}");
            window = RerankIndexConfig.DefaultWindow;
        }

        var maxWindow = RerankIndexConfig.WindowLimit;
        if (rerank.TryGetProperty("max_window", out var maxWindowElement)
            && (maxWindowElement.ValueKind != JsonValueKind.Number || !maxWindowElement.TryGetInt32(out maxWindow)
                || maxWindow < window || maxWindow > RerankIndexConfig.WindowLimit))
        {
            errors.Add($"[{Prefix}.max_window] must be an integer from the window ({window}) to {RerankIndexConfig.WindowLimit}, got {Describe(maxWindowElement)}");
        }

        var budget = RerankIndexConfig.DefaultBudgetMilliseconds;
        if (rerank.TryGetProperty("budget_ms", out var budgetElement)
            && (budgetElement.ValueKind != JsonValueKind.Number || !budgetElement.TryGetInt32(out budget)
                || budget < 1 || budget > RerankIndexConfig.BudgetLimitMilliseconds))
        {
            errors.Add($"[{Prefix}.budget_ms] must be an integer from 1 to {RerankIndexConfig.BudgetLimitMilliseconds}, got {Describe(budgetElement)}");
        }

        var scoreMode = RerankIndexConfig.DefaultScoreMode;
        if (rerank.TryGetProperty("score_mode", out var scoreModeElement)
            && (scoreModeElement.ValueKind != JsonValueKind.String || !ScoreModeNames.TryParse(scoreModeElement.GetString(), out scoreMode)))
        {
            errors.Add($"[{Prefix}.score_mode] must be one of {string.Join(", ", ScoreModeNames.All)}, got {Describe(scoreModeElement)}");
        }

        var linearWeight = ReadFraction(rerank, "linear_weight", RerankIndexConfig.DefaultLinearWeight, errors);
        var maxMissing = ReadFraction(rerank, "max_missing_fraction", RerankIndexConfig.DefaultMaxMissingFraction, errors);

        var rrfK = RerankIndexConfig.DefaultRrfK;
        if (rerank.TryGetProperty("rrf_k", out var rrfKElement)
            && (rrfKElement.ValueKind != JsonValueKind.Number || !rrfKElement.TryGetInt32(out rrfK) || rrfK < 1))
        {
            errors.Add($"[{Prefix}.rrf_k] must be an integer of 1 or more, got {Describe(rrfKElement)}");
        }

        var fields = ReadFields(rerank, errors);
        foreach (var textField in textFields)
        {
            foreach (var stored in fields.All())
            {
                if (Overlaps(textField, stored))
                {
                    errors.Add($"[{Prefix}.text_fields] [{textField}] overlaps the stored field [{stored}]");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new RerankConfigException(index, errors);
        }

        return new RerankIndexConfig
        {
            Version = version,
            Enabled = enabled,
            ModelId = model,
            TextFields = textFields,
            Separator = separator,
            ProjectionEncoding = encoding,
            Fields = fields,
            Window = window,
            MaxWindow = maxWindow,
            BudgetMilliseconds = budget,
            ScoreMode = scoreMode,
            LinearWeight = linearWeight,
            RrfK = rrfK,
            MaxMissingFraction = maxMissing,
        };
    }

    /// <summary>The <c>_meta.rerank</c> object for <paramref name="config"/>, every key written out (defaults included).</summary>
    public static JsonObject ToJson(RerankIndexConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = new JsonObject
        {
            ["projection"] = config.Fields.Projection,
            ["model"] = config.Fields.Model,
            ["text_hash"] = config.Fields.TextHash,
            ["stale"] = config.Fields.Stale,
        };
        if (config.Fields.Embedding is not null)
        {
            fields["embedding"] = config.Fields.Embedding;
        }

        var textFields = new JsonArray();
        foreach (var field in config.TextFields)
        {
            textFields.Add(field);
        }

        return new JsonObject
        {
            ["version"] = config.Version,
            ["enabled"] = config.Enabled,
            ["model"] = config.ModelId,
            ["text_fields"] = textFields,
            ["separator"] = config.Separator,
            ["projection_encoding"] = ProjectionEncodingNames.ToName(config.ProjectionEncoding),
            ["fields"] = fields,
            ["window"] = config.Window,
            ["max_window"] = config.MaxWindow,
            ["budget_ms"] = config.BudgetMilliseconds,
            ["score_mode"] = ScoreModeNames.ToName(config.ScoreMode),
            ["linear_weight"] = config.LinearWeight,
            ["rrf_k"] = config.RrfK,
            ["max_missing_fraction"] = config.MaxMissingFraction,
        };
    }

    private static double ReadFraction(JsonElement rerank, string key, double fallback, List<string> errors)
    {
        if (!rerank.TryGetProperty(key, out var element))
        {
            return fallback;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && value is >= 0 and <= 1)
        {
            return value;
        }

        errors.Add($"[{Prefix}.{key}] must be a number from 0 to 1, got {Describe(element)}");
        return fallback;
    }

    private static RerankStoredFields ReadFields(JsonElement rerank, List<string> errors)
    {
        var fields = new RerankStoredFields();
        if (!rerank.TryGetProperty("fields", out var element))
        {
            return fields;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"[{Prefix}.fields] must be an object, got {Describe(element)}");
            return fields;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!s_fieldKeys.Contains(property.Name))
            {
                errors.Add($"unknown key [{Prefix}.fields.{property.Name}] (known: {string.Join(", ", s_fieldKeys)})");
            }
        }

        string? Get(string key, string? fallback, bool nullable)
        {
            if (!element.TryGetProperty(key, out var value))
            {
                return fallback;
            }

            if (nullable && value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"[{Prefix}.fields.{key}] must be a field name{(nullable ? " or null" : "")}, got {Describe(value)}");
                return fallback;
            }

            var name = value.GetString()!;
            return CheckFieldPath($"{Prefix}.fields.{key}", name, errors) ? name : fallback;
        }

        fields = new RerankStoredFields
        {
            Projection = Get("projection", RerankStoredFields.DefaultProjection, nullable: false)!,
            Embedding = Get("embedding", null, nullable: true),
            Model = Get("model", RerankStoredFields.DefaultModel, nullable: false)!,
            TextHash = Get("text_hash", RerankStoredFields.DefaultTextHash, nullable: false)!,
            Stale = Get("stale", RerankStoredFields.DefaultStale, nullable: false)!,
        };
        var all = fields.All().ToList();
        for (var i = 0; i < all.Count; i++)
        {
            for (var j = i + 1; j < all.Count; j++)
            {
                if (Overlaps(all[i], all[j]))
                {
                    errors.Add($"[{Prefix}.fields] [{all[i]}] and [{all[j]}] overlap: each stored value needs its own field");
                }
            }
        }

        return fields;
    }

    /// <summary>A dotted field path: non-empty segments, no leading underscore (metadata fields are the cluster's).</summary>
    private static bool CheckFieldPath(string key, string name, List<string> errors)
    {
        if (name.Length == 0 || name.Split('.').Any(segment => segment.Length == 0 || segment.Trim().Length != segment.Length))
        {
            errors.Add($"[{key}] [{name}] is not a field path (dot-separated, non-empty names without surrounding spaces)");
            return false;
        }

        if (name[0] == '_')
        {
            errors.Add($"[{key}] [{name}] starts with '_', which Elasticsearch keeps for metadata fields");
            return false;
        }

        return true;
    }

    /// <summary>Equal paths, or one is an object holding the other.</summary>
    private static bool Overlaps(string a, string b) =>
        a == b || a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal);

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"[{element.GetString()}]",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => $"[{element.GetRawText()}]",
    };
}
