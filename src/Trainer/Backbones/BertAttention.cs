using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>attention</c>: HF's <c>BertAttention</c>, <c>output(self(x), x)</c> = <c>LayerNorm(dense(self(x)) + x)</c>.</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "self")]
    private readonly BertSelfAttention _self;

    [ComponentName(Name = "output")]
    private readonly BertOutput _output;

    public BertAttention(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertAttention))
    {
        _self = new BertSelfAttention(config, dtype, device);
        _output = new BertOutput(config.HiddenSize, config.HiddenSize, config.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    public BertSelfAttention Self => _self;

    public BertOutput Output => _output;

    public override Tensor forward(Tensor input, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        return _output.call(_self.call(input, additiveMask), input).MoveToOuterDisposeScope();
    }
}
