using System.Collections;
using System.Globalization;
using Rerank.Trainer.Planning;
using Rerank.Trainer.Student;
using Rerank.Trainer.Teacher;

namespace Rerank.Trainer.Training;

/// <summary>
/// The settings a training trajectory depends on, as name/value text, stored in every checkpoint: a resume under other
/// settings is refused naming each difference. Not among them (a resume may change them): epochs, max steps,
/// evaluation and checkpoint intervals, patience, the metric, log interval.
/// </summary>
internal static class TrainingSettings
{
    public static SortedDictionary<string, string> Describe(StudentSource student, TrainingPlan plan, ITeacherScores teacher, TrainingOptions options)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["student.checkpoint"] = Path.GetFullPath(student.Checkpoint),
            ["student.heads"] = student.Student is { } heads ? Path.GetFullPath(heads) : "random, seed " + Text(student.Seed),
            ["student.lora"] = student.Lora is { } lora ? Path.GetFullPath(lora) : "none",
            ["plan"] = $"{plan.Branch}, bs {Text(plan.BatchSize)}, K {Text(plan.HardNegatives)}, seed {Text(plan.Seed)}, {Text(plan.Batches.Count)} batches, {Text(plan.HeldOut.Count)} held-out queries",
            ["teacher"] = $"{Text(teacher.Count)} pairs, features {(teacher.FeatureDim is { } dim ? Text(dim) : "none")}",
            ["pooling"] = options.Pooling.ToString(),
            ["interaction"] = options.Interaction.ToString(),
            ["cosine_temperature"] = Text(options.CosineTemperature),
            ["frozen_backbone"] = Text(options.FrozenBackbone),
            ["lr"] = Text(options.LearningRate),
            ["warmup_steps"] = Text(options.WarmupSteps),
            ["betas"] = Text(options.Beta1) + ", " + Text(options.Beta2),
            ["eps"] = Text(options.Epsilon),
            ["weight_decay"] = Text(options.WeightDecay),
            ["gradient_clip"] = Text(options.GradientClip),
            ["seed"] = Text(options.Seed),
            ["text_batch"] = Text(options.TextBatch),
        };
        foreach (var property in options.Loss.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            settings["loss." + property.Name] = Text(property.GetValue(options.Loss));
        }

        if (!options.FrozenBackbone)
        {
            foreach (var property in options.Lora.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
            {
                settings["lora." + property.Name] = Text(property.GetValue(options.Lora));
            }
        }

        return settings;
    }

    /// <summary>Each difference as <c>name: checkpoint X, now Y</c>.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> now) =>
        [.. saved.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(k => !saved.TryGetValue(k, out var a) || !now.TryGetValue(k, out var b) || a != b)
            .Select(k => $"{k}: checkpoint {(saved.TryGetValue(k, out var a) ? a : "(absent)")}, now {(now.TryGetValue(k, out var b) ? b : "(absent)")}")];

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
