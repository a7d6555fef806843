using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Checkpoints;

namespace Rerank.Model.Heads;

/// <summary>
/// How a trained student came to be, saved beside its heads as <c>training.json</c> in the student directory by
/// <c>rerank-train train</c> and read by <c>export</c> into the bundle's provenance (docs/training.md, "Run directory").
/// </summary>
/// <remarks>
/// <c>{"format_version": 1, "interaction": "iem", "losses": {"ci": 1, ...}, "metrics": {"heldout_pooled_spearman": 0.41, ...},
/// "notes": "...", "pooling": "pma", "teacher": "...", "training_data": "..."}</c>, sorted keys, two-space indent. <c>losses</c> holds the weight of
/// every term that was on; <c>metrics</c> the held-out figures of the saved student. Written without timestamps, so the
/// same training gives the same file and the same bundle.
/// </remarks>
internal sealed record TrainingProvenance
{
    public const string FileName = "training.json";
    public const int FormatVersion = 1;

    /// <summary>The teacher: its checkpoint with a content hash and the prompt, or an import's file.</summary>
    public required string Teacher { get; init; }

    /// <summary>The training data: the source path, task and split or held-out rule.</summary>
    public required string TrainingData { get; init; }

    /// <summary>The weight of every loss term that was switched on, by name (<c>inbatch</c>, <c>ci</c>, <c>ri_ph</c>, <c>ri_hi</c>, <c>fi</c>).</summary>
    public required IReadOnlyDictionary<string, double> Losses { get; init; }

    /// <summary>Held-out metrics of the saved student, by name.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>
    /// The pooling the heads were trained with: <c>pma</c> (the student's, default) or an ablation's <c>mean</c> /
    /// <c>last-token</c>, which a bundle cannot serve.
    /// </summary>
    public string Pooling { get; init; } = "pma";

    /// <summary>The interaction the heads were trained with: <c>iem</c> (default) or the ablation's <c>cosine</c>, which a bundle cannot serve.</summary>
    public string Interaction { get; init; } = "iem";

    /// <summary>True when the heads are the student's own architecture (PMA and the IEM), the only one a bundle encodes.</summary>
    public bool IsServable => Pooling == "pma" && Interaction == "iem";

    /// <summary>Anything else a reader needs (ablations, LoRA or frozen backbone, steps), or null.</summary>
    public string? Notes { get; init; }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="studentDirectory"/> (replaced).</summary>
    public void Write(string studentDirectory)
    {
        ArgumentNullException.ThrowIfNull(studentDirectory);
        Directory.CreateDirectory(studentDirectory);
        var root = new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["interaction"] = Interaction,
            ["losses"] = Sorted(Losses),
            ["metrics"] = Sorted(Metrics),
        };
        if (Notes is not null)
        {
            root["notes"] = Notes;
        }

        root["pooling"] = Pooling;
        root["teacher"] = Teacher;
        root["training_data"] = TrainingData;
        HfModelConfig.WriteJson(Path.Combine(studentDirectory, FileName), root);

        static JsonObject Sorted(IReadOnlyDictionary<string, double> values)
        {
            var result = new JsonObject();
            foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                result[key] = value;
            }

            return result;
        }
    }

    /// <summary>The provenance saved in <paramref name="studentDirectory"/>, or null when it has no <see cref="FileName"/> (heads written by hand).</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a valid provenance record; the message names the file and field.</exception>
    public static TrainingProvenance? Read(string studentDirectory)
    {
        ArgumentNullException.ThrowIfNull(studentDirectory);
        var path = Path.Combine(studentDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {ex.Message}", ex);
        }

        if (root["format_version"] is not JsonValue version || !version.TryGetValue<int>(out var v) || v != FormatVersion)
        {
            throw new InvalidDataException($"{path}: format_version must be {FormatVersion.ToString(CultureInfo.InvariantCulture)}");
        }

        return new TrainingProvenance
        {
            Teacher = Text(root, "teacher", path),
            TrainingData = Text(root, "training_data", path),
            Losses = Numbers(root, "losses", path),
            Metrics = Numbers(root, "metrics", path),
            Notes = root["notes"] is null ? null : Text(root, "notes", path),
            Pooling = root["pooling"] is null ? "pma" : Text(root, "pooling", path),
            Interaction = root["interaction"] is null ? "iem" : Text(root, "interaction", path),
        };

        static string Text(JsonObject root, string key, string path) =>
            root[key] is JsonValue value && value.TryGetValue<string>(out var text)
                ? text
                : throw new InvalidDataException($"{path}: {key} must be a string");

        static Dictionary<string, double> Numbers(JsonObject root, string key, string path)
        {
            if (root[key] is not JsonObject values)
            {
                throw new InvalidDataException($"{path}: {key} must be an object of numbers");
            }

            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, node) in values)
            {
                result[name] = node is JsonValue number && number.TryGetValue<double>(out var d) && double.IsFinite(d)
                    ? d
                    : throw new InvalidDataException($"{path}: {key}.{name} must be a finite number");
            }

            return result;
        }
    }
}
