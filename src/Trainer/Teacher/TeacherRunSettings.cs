using static TorchSharp.torch;

namespace Rerank.Trainer.Teacher;

/// <summary>What <c>rerank-train teacher</c> runs with (docs/training.md, "Teacher"; defaults as there).</summary>
internal sealed record TeacherRunSettings
{
    /// <summary>The teacher's Hugging Face checkpoint directory (any checkpoint <c>DecoderModel</c> loads).</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The run directory's <c>teacher/</c> folder.</summary>
    public required string TeacherDirectory { get; init; }

    public TeacherPrompts Prompts { get; init; } = TeacherPrompts.English;

    public TeacherPromptLimits Limits { get; init; } = new();

    /// <summary>float32 (default) or bfloat16.</summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float32;

    /// <summary>Prompts per forward pass (default 8).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary><c>float16</c> (default), <c>float32</c>, or null to store no features.</summary>
    public string? FeatureDtype { get; init; } = "float16";

    /// <summary>This run's slice, or null to score every pair into the merged store directly.</summary>
    public TeacherShard? Shard { get; init; }

    /// <summary>The device; null means CUDA when available, else the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>Records per flushed chunk (default 256): a killed run loses at most this many.</summary>
    public int ChunkRecords { get; init; } = 256;
}
