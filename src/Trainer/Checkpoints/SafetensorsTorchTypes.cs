using Rerank.Model.Checkpoints;
using TorchSharp;

namespace Rerank.Trainer.Checkpoints;

/// <summary>The TorchSharp element types of <see cref="SafetensorsDtype"/>.</summary>
internal static class SafetensorsTorchTypes
{
    public static torch.ScalarType ToScalarType(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => torch.ScalarType.Float32,
        SafetensorsDtype.F16 => torch.ScalarType.Float16,
        _ => torch.ScalarType.BFloat16,
    };

    /// <exception cref="ArgumentException">Not float32, float16 or bfloat16.</exception>
    public static SafetensorsDtype FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => SafetensorsDtype.F32,
        torch.ScalarType.Float16 => SafetensorsDtype.F16,
        torch.ScalarType.BFloat16 => SafetensorsDtype.BF16,
        _ => throw new ArgumentException($"Checkpoints hold float32, float16 or bfloat16 tensors, not {type}.", nameof(type)),
    };
}
