using System.Globalization;

namespace Rerank.Model.Checkpoints;

/// <summary>File names of a Hugging Face model directory.</summary>
internal static class CheckpointFiles
{
    public const string Config = "config.json";

    public const string GenerationConfig = "generation_config.json";

    /// <summary>The weights in one file.</summary>
    public const string Single = "model.safetensors";

    /// <summary>The weights in shards: <c>{"metadata": {"total_size": bytes}, "weight_map": {tensor: shard file}}</c>.</summary>
    public const string Index = "model.safetensors.index.json";

    /// <summary>transformers' shard name: <c>model-00001-of-00003.safetensors</c> (1-based).</summary>
    public static string Shard(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"model-{index:D5}-of-{count:D5}.safetensors");

    /// <summary>Whether <paramref name="fileName"/> is one of the weight files a writer replaces.</summary>
    public static bool IsWeightFile(string fileName) =>
        fileName is Single or Index
        || (fileName.StartsWith("model-", StringComparison.Ordinal) && fileName.EndsWith(".safetensors", StringComparison.Ordinal) && fileName.Contains("-of-", StringComparison.Ordinal));
}
