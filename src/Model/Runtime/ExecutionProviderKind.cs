namespace Rerank.Model.Runtime;

/// <summary>Where ONNX Runtime runs the student's graphs.</summary>
public enum ExecutionProviderKind
{
    Cpu,

    /// <summary>NVIDIA GPUs, with the Microsoft.ML.OnnxRuntime.Gpu package (build property <c>RerankOnnxRuntimeGpu=true</c>).</summary>
    Cuda,
}
