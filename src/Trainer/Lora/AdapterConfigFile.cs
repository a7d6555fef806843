using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Checkpoints;

namespace Rerank.Trainer.Lora;

/// <summary>
/// PEFT's <c>adapter_config.json</c> for a LoRA adapter: written with every key PEFT writes (sorted, two-space indent),
/// read back refusing by name every option this implementation does not reproduce.
/// </summary>
internal static class AdapterConfigFile
{
    /// <param name="path">The file to write.</param>
    /// <param name="options">Resolved options (<see cref="LoraOptions.ResolvedFor"/>).</param>
    /// <param name="encoder">A BERT backbone: <c>task_type</c> is PEFT's <c>FEATURE_EXTRACTION</c> instead of <c>CAUSAL_LM</c>.</param>
    public static void Write(string path, LoraOptions options, bool encoder = false)
    {
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["alpha_pattern"] = new JsonObject(),
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = options.BaseModel,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = options.Rank,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = options.TargetPattern is { } pattern
                ? pattern
                : new JsonArray([.. (options.TargetModules ?? throw new ArgumentException("The LoRA targets are not resolved for a backbone.", nameof(options))).Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
            ["task_type"] = encoder ? "FEATURE_EXTRACTION" : "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = options.UseRsLora,
        };
        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            root[key] = value;
        }

        HfModelConfig.WriteJson(path, root);
    }

    /// <exception cref="CheckpointException">Every problem, each as <c>{path}: {key} ...</c>.</exception>
    public static LoraOptions Read(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? path;
        if (!File.Exists(path))
        {
            throw new CheckpointException(directory, [$"{path}: not found"]);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new CheckpointException(directory, [$"{path}: not a JSON object"]);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(directory, [$"{path}: not valid JSON: {ex.Message}"]);
        }

        var problems = new List<string>();
        void Problem(string key, string text) => problems.Add($"{path}: {key} {text}");

        if (Text(root, "peft_type") is var type && type != "LORA")
        {
            Problem("peft_type", $"is '{type}'; only LORA adapters are read");
        }

        // Options PEFT offers that change what the adapter computes: refused rather than ignored.
        foreach (var key in new[] { "use_dora", "fan_in_fan_out" })
        {
            if (root[key] is JsonValue v && v.TryGetValue<bool>(out var on) && on)
            {
                Problem(key, "is true, which is not supported");
            }
        }

        if (Text(root, "bias") is { } bias && bias != "none")
        {
            Problem("bias", $"is '{bias}'; only 'none' is supported (no trained biases)");
        }

        foreach (var key in new[] { "modules_to_save", "layers_to_transform", "layers_pattern" })
        {
            if (root[key] is JsonNode node && !(node is JsonArray { Count: 0 }))
            {
                Problem(key, "is set, which is not supported");
            }
        }

        foreach (var key in new[] { "rank_pattern", "alpha_pattern" })
        {
            if (root[key] is JsonObject { Count: > 0 })
            {
                Problem(key, "is not empty; per-module ranks and alphas are not supported");
            }
        }

        var rank = Number(root, "r", problems, path);
        var alpha = Number(root, "lora_alpha", problems, path);
        var dropout = root["lora_dropout"] is null ? 0 : Number(root, "lora_dropout", problems, path);
        IReadOnlyList<string> targets = LoraOptions.DefaultTargetModules;
        string? pattern = null;
        switch (root["target_modules"])
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                pattern = text;
                break;
            case JsonArray array when array.All(n => n is JsonValue v && v.TryGetValue<string>(out _)):
                targets = [.. array.Select(n => n!.GetValue<string>())];
                break;
            default:
                Problem("target_modules", "must be a list of module names or one regular expression");
                break;
        }

        if (rank is { } whole && (whole != Math.Floor(whole) || whole > int.MaxValue))
        {
            Problem("r", string.Create(CultureInfo.InvariantCulture, $"must be a whole number (is {whole})"));
            rank = null;
        }

        var options = new LoraOptions
        {
            Rank = rank is { } r ? (int)Math.Max(r, int.MinValue) : 0,
            Alpha = alpha ?? 0,
            Dropout = dropout ?? 0,
            TargetModules = targets,
            TargetPattern = pattern,
            UseRsLora = root["use_rslora"] is JsonValue rs && rs.TryGetValue<bool>(out var useRs) && useRs,
            BaseModel = Text(root, "base_model_name_or_path"),
        };
        if (rank is not null)
        {
            problems.AddRange(options.Validate().Select(e => $"{path}: {e}"));
        }

        if (problems.Count > 0)
        {
            throw new CheckpointException(directory, problems);
        }

        return options;
    }

    private static string? Text(JsonObject root, string key) =>
        root[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static double? Number(JsonObject root, string key, List<string> problems, string path)
    {
        if (root[key] is JsonValue value && value.TryGetValue<double>(out var number))
        {
            return number;
        }

        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {key} is missing or not a number"));
        return null;
    }
}
