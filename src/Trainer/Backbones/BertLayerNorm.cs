using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// BERT's <c>LayerNorm</c>: <c>weight * (x - mean) / sqrt(var + eps) + bias</c> over the last dimension (biased variance),
/// computed in float32 and cast back to the input's type.
/// </summary>
internal sealed class BertLayerNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    private readonly double _eps;

    public BertLayerNorm(long size, double eps, ScalarType dtype, Device device) : base(nameof(BertLayerNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(size, dtype: dtype, device: device));
        _bias = new Parameter(zeros(size, dtype: dtype, device: device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var centered = x - x.mean([-1L], keepdim: true);
        var normalized = centered * (centered.square().mean([-1L], keepdim: true) + _eps).rsqrt();
        var result = (normalized * _weight.to(ScalarType.Float32)) + _bias.to(ScalarType.Float32);
        return result.to(input.dtype).MoveToOuterDisposeScope();
    }
}
