using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// <c>encoder.layer.N</c>: HF's <c>BertLayer</c>, post-LayerNorm:
/// <c>a = LayerNorm(attention.output.dense(self(x)) + x)</c>, then <c>LayerNorm(output.dense(gelu(intermediate.dense(a))) + a)</c>.
/// </summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attention")]
    private readonly BertAttention _attention;

    [ComponentName(Name = "intermediate")]
    private readonly BertIntermediate _intermediate;

    [ComponentName(Name = "output")]
    private readonly BertOutput _output;

    public BertLayer(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertLayer))
    {
        _attention = new BertAttention(config, dtype, device);
        _intermediate = new BertIntermediate(config, dtype, device);
        _output = new BertOutput(config.IntermediateSize, config.HiddenSize, config.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    public BertAttention Attention => _attention;

    public BertIntermediate Intermediate => _intermediate;

    public BertOutput Output => _output;

    public override Tensor forward(Tensor input, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.call(input, additiveMask);
        return _output.call(_intermediate.call(attended), attended).MoveToOuterDisposeScope();
    }
}
