using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// HF's <c>LlamaRMSNorm</c> / <c>Qwen2RMSNorm</c>: <c>weight * (x / sqrt(mean(x^2) + eps))</c>, the statistics taken in
/// float32 and the normalised value cast back to the input's type before the weight multiplies it.
/// </summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    private readonly double _eps;

    public RmsNorm(long size, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(size, dtype: dtype, device: device));
        RegisterComponents();
    }

    public Parameter Weight => _weight;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var normalized = x * (x.square().mean([-1L], keepdim: true) + _eps).rsqrt();
        return (_weight * normalized.to(input.dtype)).MoveToOuterDisposeScope();
    }
}
