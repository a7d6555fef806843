namespace Rerank.Model.Bundle;

/// <summary>The bundle's graph files, relative to the bundle directory.</summary>
public sealed record BundleFiles
{
    public const string DefaultEncoder = "encoder.onnx";
    public const string DefaultPassageProjection = "passage_projection.onnx";
    public const string DefaultScorer = "scorer.onnx";

    /// <summary>Token ids + mask to the pooled embedding (backbone with LoRA merged, then PMA).</summary>
    public string Encoder { get; init; } = DefaultEncoder;

    /// <summary>Embedding to u_p = W1p p + b1.</summary>
    public string PassageProjection { get; init; } = DefaultPassageProjection;

    /// <summary>Query embedding + K projections + branch to K logits.</summary>
    public string Scorer { get; init; } = DefaultScorer;
}
