using System.Text.Json.Nodes;
using System.Text.Json;
using Rerank.Model.Checkpoints;
using Rerank.Model.Heads;
using Rerank.Trainer.Lora;

namespace Rerank.Trainer.Training;

/// <summary>
/// A resumable checkpoint in <c>train/checkpoint/</c>: <c>state.json</c> (step, evaluations, patience count, the
/// settings), <c>heads/</c> (a student directory), <c>lora/</c> (the adapter, with LoRA) and <c>optimizer.safetensors</c>
/// (AdamW's m and v). Random state needs no file: step s seeds its own generator from (seed, s).
/// </summary>
/// <remarks>
/// Written atomically: into <c>checkpoint.tmp</c>, then the old checkpoint is renamed <c>checkpoint.old</c>, the new one
/// takes its name and the old one is deleted; a crash between the renames leaves <c>checkpoint.old</c>, which is read.
/// </remarks>
internal static class TrainingCheckpoint
{
    public const string DirectoryName = "checkpoint";
    private const string StateFile = "state.json";
    private const string OptimizerFile = "optimizer.safetensors";

    public static void Save(string trainDirectory, TrainingState state, IReadOnlyDictionary<string, string> settings, DistillationStudent student, AdamWOptimizer optimizer)
    {
        var target = Path.Combine(trainDirectory, DirectoryName);
        var temporary = target + ".tmp";
        var old = target + ".old";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }

        Directory.CreateDirectory(temporary);
        StudentDirectory.Write(Path.Combine(temporary, "heads"), student.Heads.Config, student.Heads.ToWeightSet());
        student.Adapter?.Save(Path.Combine(temporary, "lora"));
        optimizer.Save(Path.Combine(temporary, OptimizerFile));
        var json = new JsonObject
        {
            ["step"] = state.Step,
            ["optimizer_steps"] = optimizer.Steps,
            ["evaluations_without_improvement"] = state.EvaluationsWithoutImprovement,
            ["initial"] = state.Initial?.ToJson(),
            ["best"] = state.Best?.ToJson(),
            ["last"] = state.Last?.ToJson(),
            ["settings"] = new JsonObject(settings.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)JsonValue.Create(s.Value)))),
        };
        HfModelConfig.WriteJson(Path.Combine(temporary, StateFile), json);
        if (Directory.Exists(target))
        {
            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }

            Directory.Move(target, old);
        }

        Directory.Move(temporary, target);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>The checkpoint directory to resume from (<c>checkpoint</c>, else <c>checkpoint.old</c>), or null.</summary>
    public static string? Find(string trainDirectory)
    {
        var target = Path.Combine(trainDirectory, DirectoryName);
        return File.Exists(Path.Combine(target, StateFile)) ? target
            : File.Exists(Path.Combine(target + ".old", StateFile)) ? target + ".old"
            : null;
    }

    /// <summary>Reads the settings a checkpoint was written under.</summary>
    public static IReadOnlyDictionary<string, string> ReadSettings(string directory)
    {
        var root = Read(directory);
        return root["settings"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
    }

    /// <summary>Restores heads, adapter and optimizer from <paramref name="directory"/> and returns the state.</summary>
    public static TrainingState Load(string directory, DistillationStudent student, AdamWOptimizer optimizer)
    {
        var root = Read(directory);
        var heads = StudentDirectory.Read(Path.Combine(directory, "heads"));
        student.Heads.LoadWeights(heads.Weights);
        if (student.Adapter is { } adapter)
        {
            adapter.LoadWeights(Path.Combine(directory, "lora", LoraFiles.Weights));
        }

        optimizer.Load(Path.Combine(directory, OptimizerFile), root["optimizer_steps"]!.GetValue<long>());
        return new TrainingState
        {
            Step = root["step"]!.GetValue<long>(),
            EvaluationsWithoutImprovement = root["evaluations_without_improvement"]!.GetValue<int>(),
            Initial = root["initial"] is { } initial ? HeldOutMetrics.FromJson(initial) : null,
            Best = root["best"] is { } best ? HeldOutMetrics.FromJson(best) : null,
            Last = root["last"] is { } last ? HeldOutMetrics.FromJson(last) : null,
        };
    }

    // Parses state.json and checks every field Load and ReadSettings read, so a damaged or hand-edited file is one
    // InvalidDataException naming the file and field instead of a JsonException or NullReferenceException.
    private static JsonObject Read(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        InvalidDataException Bad(string problem) =>
            new($"{path}: {problem}; delete {directory} (or train with --no-resume) to start over.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject ?? throw Bad("not a JSON object");
        }
        catch (JsonException exception)
        {
            throw Bad($"not valid JSON ({exception.Message})");
        }

        bool IsInteger(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out _);
        foreach (var field in new[] { "step", "optimizer_steps", "evaluations_without_improvement" })
        {
            if (!IsInteger(root[field]))
            {
                throw Bad($"field '{field}' is missing or not an integer");
            }
        }

        foreach (var field in new[] { "initial", "best", "last" })
        {
            if (root[field] is null)
            {
                continue;
            }

            if (root[field] is not JsonObject metrics || !IsInteger(metrics["step"]) || !IsInteger(metrics["pairs"]) || !IsInteger(metrics["queries"])
                || new[] { "pooled_spearman", "mean_query_spearman", "mrr" }.Any(m => metrics[m] is { } v && v.GetValueKind() != JsonValueKind.Number))
            {
                throw Bad($"field '{field}' is not held-out metrics (step, pairs, queries and numbers)");
            }
        }

        if (root["settings"] is not JsonObject settings || settings.Any(p => p.Value?.GetValueKind() != JsonValueKind.String))
        {
            throw Bad("field 'settings' is missing or not an object of strings");
        }

        return root;
    }
}
