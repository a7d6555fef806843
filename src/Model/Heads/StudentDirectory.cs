using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Weights;
using Rerank.Model.Checkpoints;

namespace Rerank.Model.Heads;

/// <summary>
/// A trained student's heads on disk (<c>--student &lt;dir&gt;</c>): <c>student_heads.safetensors</c> (every
/// <see cref="StudentHeadNames"/> tensor, float32 when written here; F16 and BF16 are read too) and
/// <c>student_config.json</c> (the heads' sizes and, optionally, the text limits the student was trained with).
/// The backbone and its LoRA adapter live elsewhere (a checkpoint directory and a PEFT adapter directory).
/// </summary>
/// <remarks>
/// <c>student_config.json</c>, sorted keys, two-space indent:
/// <c>{"dim": 64, "format_version": 1, "iem_hidden": 512, "layer_norm_eps": 1e-05, "passage": {"max_chars": 4000,
/// "max_tokens": 250}, "pma_heads": 4, "query": {"max_chars": 1000, "max_tokens": 250}}</c>; <c>query</c> and
/// <c>passage</c> may be left out, <c>iem_hidden</c> defaults to 512 and <c>layer_norm_eps</c> to 1e-5. Either limit may
/// carry a <c>prefix</c> (a non-empty string put before every text of that kind, <see cref="TextLimits.Prefix"/>).
/// <c>cosine_pooling</c> (<c>mean</c> or <c>cls</c>, left out when off) turns on the cosine term
/// (<see cref="StudentHeadsConfig.CosinePooling"/>) and with it the tensor <c>iem.cosine_scale</c>.
/// </remarks>
internal static class StudentDirectory
{
    public const string Weights = "student_heads.safetensors";
    public const string Config = "student_config.json";
    public const int FormatVersion = 1;

    /// <summary>Writes the heads' config and weights into <paramref name="directory"/> (created; the two files are replaced).</summary>
    /// <param name="directory">The student directory.</param>
    /// <param name="config">The heads' shape.</param>
    /// <param name="weights">Every head parameter.</param>
    /// <param name="query">The query limits the heads were trained under, or null.</param>
    /// <param name="passage">The passage limits, or null.</param>
    /// <param name="dtype">How the weights are stored: float32 (training's), or float16 for a student kept in the repository.</param>
    public static void Write(string directory, StudentHeadsConfig config, WeightSet weights, TextLimits? query = null, TextLimits? passage = null, SafetensorsDtype dtype = SafetensorsDtype.F32)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weights);
        Directory.CreateDirectory(directory);
        var entries = StudentHeadWeights.ParameterShapes(config)
            .Select(p => SafetensorsWriteEntry.FromSingles(p.Name, dtype, p.Shape, weights.Get(p.Name, p.Shape).Values))
            .ToList();
        SafetensorsWriter.Write(Path.Combine(directory, Weights), entries, new Dictionary<string, string> { ["format"] = "pt" });

        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["dim"] = config.Dim,
            ["format_version"] = FormatVersion,
            ["iem_hidden"] = config.IemHidden,
            ["layer_norm_eps"] = config.LayerNormEps,
            ["pma_heads"] = config.PmaHeads,
        };
        if (config.CosinePooling is { } cosinePooling)
        {
            fields["cosine_pooling"] = PoolingName(cosinePooling);
        }

        if (query is not null)
        {
            fields["query"] = Limits(query);
        }

        if (passage is not null)
        {
            fields["passage"] = Limits(passage);
        }

        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            root[key] = value;
        }

        HfModelConfig.WriteJson(Path.Combine(directory, Config), root);

        static JsonObject Limits(TextLimits limits)
        {
            var json = new JsonObject { ["max_chars"] = limits.MaxChars, ["max_tokens"] = limits.MaxTokens };
            if (limits.Prefix is { } prefix)
            {
                json["prefix"] = prefix;
            }

            return json;
        }
    }

    /// <summary>Reads and checks a student directory; every problem is found before it throws.</summary>
    /// <exception cref="InvalidDataException">
    /// The directory or a file is missing, the config is invalid, or a tensor is missing, has the wrong shape or is not a
    /// head parameter; the message lists every problem, each naming its file and field or tensor.
    /// </exception>
    public static StudentFiles Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            throw Problems([$"{directory}: directory not found (a student directory holds {Weights} and {Config})"]);
        }

        var configPath = Path.Combine(directory, Config);
        var weightsPath = Path.Combine(directory, Weights);
        var problems = new List<string>();
        var (config, query, passage) = ReadConfig(configPath, problems);
        if (!File.Exists(weightsPath))
        {
            problems.Add($"{weightsPath}: not found");
        }

        if (problems.Count > 0 || config is null)
        {
            throw Problems(problems);
        }

        using var file = SafetensorsFile.Open(weightsPath);
        var expected = StudentHeadWeights.ParameterShapes(config);
        foreach (var (name, shape) in expected)
        {
            if (!file.Contains(name))
            {
                problems.Add($"{weightsPath}: tensor '{name}' is missing");
            }
            else if (file.Get(name) is var info && !info.Shape.AsSpan().SequenceEqual(shape))
            {
                problems.Add($"{weightsPath}: tensor '{name}' has shape {info.ShapeText}, {Config} (dim {config.Dim}, iem_hidden {config.IemHidden}) expects {SafetensorsTensorInfo.FormatShape(shape)}");
            }
        }

        var known = expected.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(file.Tensors.Where(t => !known.Contains(t.Name)).Select(t => $"{weightsPath}: tensor '{t.Name}' is not a PMA or IEM parameter"));
        if (problems.Count > 0)
        {
            throw Problems(problems);
        }

        var weights = new WeightSet(expected.Select(p => new WeightTensor(p.Name, p.Shape, file.ReadSingles(p.Name))));
        return new StudentFiles(directory, config, weights, query, passage);
    }

    private static (StudentHeadsConfig? Config, TextLimits? Query, TextLimits? Passage) ReadConfig(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{path}: not found");
            return (null, null, null);
        }

        JsonObject root;
        try
        {
            if (JsonNode.Parse(File.ReadAllBytes(path)) is not JsonObject parsed)
            {
                problems.Add($"{path}: not a JSON object");
                return (null, null, null);
            }

            root = parsed;
        }
        catch (JsonException ex)
        {
            problems.Add($"{path}: not valid JSON: {ex.Message}");
            return (null, null, null);
        }

        var before = problems.Count;
        var version = Integer(root, "format_version", path, problems, required: true);
        if (version is { } v && v != FormatVersion)
        {
            problems.Add($"{path}: format_version is {v}; this trainer reads version {FormatVersion}");
        }

        var known = new HashSet<string>(["cosine_pooling", "dim", "format_version", "iem_hidden", "layer_norm_eps", "passage", "pma_heads", "query"], StringComparer.Ordinal);
        problems.AddRange(root.Select(p => p.Key).Where(k => !known.Contains(k)).Select(k => $"{path}: {k} is not a known key"));
        var dim = Integer(root, "dim", path, problems, required: true);
        var heads = Integer(root, "pma_heads", path, problems, required: true);
        var hidden = Integer(root, "iem_hidden", path, problems, required: false) ?? 512;
        var eps = 1e-5;
        if (root["layer_norm_eps"] is { } epsNode)
        {
            if (epsNode is JsonValue value && value.TryGetValue<double>(out var e))
            {
                eps = e;
            }
            else
            {
                problems.Add($"{path}: layer_norm_eps must be a number");
            }
        }

        EmbeddingPooling? cosinePooling = null;
        switch (root["cosine_pooling"])
        {
            case null:
                break;
            case JsonValue value when value.TryGetValue<string>(out var name) && name is "mean" or "cls":
                cosinePooling = name == "cls" ? EmbeddingPooling.Cls : EmbeddingPooling.Mean;
                break;
            case var node:
                problems.Add($"{path}: cosine_pooling must be \"mean\" or \"cls\" (is {node!.ToJsonString()})");
                break;
        }

        var query = Limits(root, "query", path, problems);
        var passage = Limits(root, "passage", path, problems);
        if (problems.Count > before || dim is null || heads is null)
        {
            return (null, null, null);
        }

        var config = new StudentHeadsConfig { Dim = (int)dim, PmaHeads = (int)heads, IemHidden = (int)hidden, LayerNormEps = eps, CosinePooling = cosinePooling };
        var errors = config.Validate();
        problems.AddRange(errors.Select(e => $"{path}: {e}"));
        return errors.Count > 0 ? (null, null, null) : (config, query, passage);
    }

    private static TextLimits? Limits(JsonObject root, string key, string path, List<string> problems)
    {
        switch (root[key])
        {
            case null:
                return null;
            case JsonObject limits:
                var tokens = Integer(limits, "max_tokens", path, problems, required: true, prefix: key + ".");
                var chars = Integer(limits, "max_chars", path, problems, required: false, prefix: key + ".") ?? 0;
                if (tokens is < 1)
                {
                    problems.Add($"{path}: {key}.max_tokens must be at least 1 (is {tokens})");
                }

                if (chars < 0)
                {
                    problems.Add($"{path}: {key}.max_chars must not be negative (is {chars})");
                }

                string? prefix = null;
                switch (limits["prefix"])
                {
                    case null:
                        break;
                    case JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 0:
                        prefix = text;
                        break;
                    default:
                        problems.Add($"{path}: {key}.prefix must be a non-empty string");
                        break;
                }

                return tokens is { } t ? new TextLimits { MaxTokens = (int)t, MaxChars = (int)chars, Prefix = prefix } : null;
            default:
                problems.Add($"{path}: {key} must be an object {{\"max_tokens\": n, \"max_chars\": n}}");
                return null;
        }
    }

    private static long? Integer(JsonObject root, string key, string path, List<string> problems, bool required, string prefix = "")
    {
        switch (root[key])
        {
            case null when required:
                problems.Add($"{path}: {prefix}{key} is missing");
                return null;
            case null:
                return null;
            case JsonValue value when value.TryGetValue<long>(out var number) && number is >= int.MinValue and <= int.MaxValue:
                return number;
            case var node:
                // Not null here: both null cases are above.
                problems.Add($"{path}: {prefix}{key} must be an integer (is {node!.ToJsonString()})");
                return null;
        }
    }

    /// <summary><c>mean</c> or <c>cls</c>, as <c>cosine_pooling</c> and <c>--cosine-pooling</c> write it.</summary>
    /// <summary>The sentence about the cosine term a bundle's provenance carries, with its leading space; empty when off.</summary>
    public static string CosineTermNote(StudentHeadsConfig heads) => heads.CosinePooling is { } pooling
        ? $" Cosine term on (ours, beyond the paper): logit = a * cos({PoolingName(pooling)}-pooled, L2-normalised last hidden states) + IEM, a = iem.cosine_scale."
        : "";

    public static string PoolingName(EmbeddingPooling pooling) => pooling == EmbeddingPooling.Cls ? "cls" : "mean";

    private static InvalidDataException Problems(IReadOnlyList<string> problems) =>
        new(string.Create(CultureInfo.InvariantCulture, $"student heads cannot be loaded: {string.Join("; ", problems)}"));
}
