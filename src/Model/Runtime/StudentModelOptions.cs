namespace Rerank.Model.Runtime;

/// <summary>How a <see cref="StudentModel"/> runs. Defaults suit a server: GPU when there is one, all cores otherwise.</summary>
public sealed record StudentModelOptions
{
    /// <summary>Use the CUDA execution provider when the ONNX Runtime package has it and a device answers (default true).</summary>
    public bool PreferGpu { get; init; } = true;

    /// <summary>The CUDA device ordinal (default 0).</summary>
    public int GpuDeviceId { get; init; }

    /// <summary>Threads ONNX Runtime uses inside one operator; 0 (default) lets it pick one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Texts encoded per encoder call (default 32). Larger batches pad more; smaller ones call more often.</summary>
    public int EncoderBatchSize { get; init; } = 32;
}
