using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;

namespace Rerank.Model.Pretrained;

/// <summary>
/// How a checkpoint's authors use it as a sentence encoder, read from sentence-transformers' own files beside the
/// Hugging Face ones (what <c>rerank-train pretrained import</c> writes, and what a sentence-transformers model from
/// the Hub carries): pooling, query/passage prefixes, token limit, and the licence from the model card.
/// </summary>
/// <remarks>
/// Files, each optional (defaults in brackets): <c>modules.json</c> naming the Pooling module's folder, whose
/// <c>config.json</c> sets <c>pooling_mode_mean_tokens</c> or <c>pooling_mode_cls_token</c> [mean];
/// <c>sentence_bert_config.json</c>'s <c>max_seq_length</c> [the config's <c>max_position_embeddings</c>];
/// <c>config_sentence_transformers.json</c>'s <c>prompts.query</c> and <c>prompts.document</c> (or
/// <c>passage</c>) [none]; <c>README.md</c>'s front matter <c>rerank_license</c>, else <c>license</c>, and
/// <c>base_model</c> [none]. Other pooling modes (max, mean_sqrt_len, weightedmean, lasttoken) are refused by name.
/// </remarks>
internal sealed record SentenceTransformerSettings
{
    public const string ModulesFile = "modules.json";

    public const string PoolingDirectory = "1_Pooling";

    public const string NormalizeDirectory = "2_Normalize";

    public const string SentenceBertConfigFile = "sentence_bert_config.json";

    public const string SentenceTransformersConfigFile = "config_sentence_transformers.json";

    public const string ModelCardFile = "README.md";

    /// <summary>The model card's front-matter key holding the full licence text (package and model).</summary>
    public const string LicenseKey = "rerank_license";

    private static readonly string[] UnsupportedModes =
        ["pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"];

    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Put before every query, or null.</summary>
    public string? QueryPrefix { get; init; }

    /// <summary>Put before every passage, or null.</summary>
    public string? PassagePrefix { get; init; }

    /// <summary>Tokens per text, [CLS] and [SEP] included.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>The licences (for a bundle's provenance), or null when the checkpoint does not say.</summary>
    public string? License { get; init; }

    /// <summary>The model the weights are (the card's <c>base_model</c>), or null.</summary>
    public string? SourceModel { get; init; }

    /// <summary>Reads the settings of the checkpoint in <paramref name="directory"/>, its positions from its config.json.</summary>
    /// <exception cref="CheckpointException">config.json cannot be read.</exception>
    /// <exception cref="InvalidDataException">A sentence-transformers file is malformed or asks for what is not supported; every problem, with its file.</exception>
    public static SentenceTransformerSettings Read(string directory) =>
        Read(directory, HfModelConfig.Read(Path.Combine(directory, CheckpointFiles.Config)).Decoder.MaxPositionEmbeddings);

    /// <inheritdoc cref="Read(string)"/>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="maxPositionEmbeddings">The default token limit: the model's positions.</param>
    public static SentenceTransformerSettings Read(string directory, int maxPositionEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        var problems = new List<string>();
        var pooling = ReadPooling(directory, problems);

        var maxTokens = maxPositionEmbeddings;
        var bertConfigPath = Path.Combine(directory, SentenceBertConfigFile);
        if (ReadObject(bertConfigPath, problems)?["max_seq_length"] is JsonNode length)
        {
            if (length.GetValueKind() == JsonValueKind.Number && length.AsValue().TryGetValue<int>(out var value) && value >= 2 && value <= maxPositionEmbeddings)
            {
                maxTokens = value;
            }
            else
            {
                problems.Add($"{bertConfigPath}: max_seq_length must be an integer from 2 to max_position_embeddings {maxPositionEmbeddings} (is {length.ToJsonString()})");
            }
        }

        var stConfigPath = Path.Combine(directory, SentenceTransformersConfigFile);
        var prompts = ReadObject(stConfigPath, problems)?["prompts"] as JsonObject;
        string? Prompt(params string[] keys)
        {
            foreach (var key in keys)
            {
                if (prompts?[key] is JsonNode node)
                {
                    if (node.GetValueKind() != JsonValueKind.String)
                    {
                        problems.Add($"{stConfigPath}: prompts.{key} must be a string");
                        return null;
                    }

                    return node.GetValue<string>() is { Length: > 0 } text ? text : null;
                }
            }

            return null;
        }

        var card = ReadFrontMatter(Path.Combine(directory, ModelCardFile));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{directory}: " + string.Join("; ", problems));
        }

        return new SentenceTransformerSettings
        {
            Pooling = pooling,
            QueryPrefix = Prompt("query"),
            PassagePrefix = Prompt("document", "passage"),
            MaxTokens = maxTokens,
            License = card.GetValueOrDefault(LicenseKey) ?? card.GetValueOrDefault("license"),
            SourceModel = card.GetValueOrDefault("base_model"),
        };
    }

    private static EmbeddingPooling ReadPooling(string directory, List<string> problems)
    {
        var modulesPath = Path.Combine(directory, ModulesFile);
        var poolingDirectory = PoolingDirectory;
        if (File.Exists(modulesPath))
        {
            var modules = ReadNode(modulesPath, problems) as JsonArray;
            var module = modules?.OfType<JsonObject>().FirstOrDefault(m => m["type"]?.GetValueKind() == JsonValueKind.String
                && m["type"]!.GetValue<string>().EndsWith(".Pooling", StringComparison.Ordinal));
            if (module is null)
            {
                // A Transformer-only model: the pooling is the caller's choice.
                return EmbeddingPooling.Mean;
            }

            poolingDirectory = module["path"]?.GetValueKind() == JsonValueKind.String ? module["path"]!.GetValue<string>() : PoolingDirectory;
        }

        var path = Path.Combine(directory, poolingDirectory, CheckpointFiles.Config);
        var config = ReadObject(path, problems);
        if (config is null)
        {
            return EmbeddingPooling.Mean;
        }

        bool Mode(string key) => config[key]?.GetValueKind() == JsonValueKind.True;
        foreach (var mode in UnsupportedModes.Where(Mode))
        {
            problems.Add($"{path}: {mode} is not supported (mean and cls pooling are)");
        }

        var (mean, cls) = (Mode("pooling_mode_mean_tokens"), Mode("pooling_mode_cls_token"));
        if (mean && cls)
        {
            problems.Add($"{path}: pooling_mode_mean_tokens and pooling_mode_cls_token are both true; concatenated poolings are not supported");
        }

        return cls ? EmbeddingPooling.Cls : EmbeddingPooling.Mean;
    }

    private static JsonObject? ReadObject(string path, List<string> problems)
    {
        var node = ReadNode(path, problems);
        if (node is not null and not JsonObject)
        {
            problems.Add($"{path}: not a JSON object");
            return null;
        }

        return node as JsonObject;
    }

    private static JsonNode? ReadNode(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            problems.Add($"{path}: not valid JSON: {ex.Message}");
            return null;
        }
    }

    /// <summary>The <c>key: value</c> lines of a model card's YAML front matter (values in double quotes read as JSON strings).</summary>
    private static Dictionary<string, string> ReadFrontMatter(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return values;
        }

        foreach (var line in lines.Skip(1).TakeWhile(l => l.Trim() != "---"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (value.StartsWith('"'))
            {
                try
                {
                    value = JsonSerializer.Deserialize<string>(value) ?? "";
                }
                catch (JsonException)
                {
                    continue;
                }
            }

            if (value.Length > 0)
            {
                values[line[..colon].Trim()] = value;
            }
        }

        return values;
    }

    /// <summary>The value as the model card writes it: a JSON (YAML double-quoted) string.</summary>
    internal static string Quote(string value) => JsonSerializer.Serialize(value);
}
