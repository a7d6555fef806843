using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// HF's <c>BertSelfOutput</c> (<c>attention.output</c>) and <c>BertOutput</c> (<c>output</c>), which are alike:
/// <c>LayerNorm(dense(x) + residual)</c>, the post-LayerNorm residual step (dropout not applied).
/// </summary>
internal sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>, IProjectionHost
{
    private static readonly string[] Names = ["dense"];

    [ComponentName(Name = "dense")]
    private nn.Module<Tensor, Tensor> _dense;

    [ComponentName(Name = "LayerNorm")]
    private readonly BertLayerNorm _layerNorm;

    public BertOutput(long inFeatures, long hidden, double eps, ScalarType dtype, Device device) : base(nameof(BertOutput))
    {
        _dense = Projections.Create(inFeatures, hidden, bias: true, dtype, device);
        _layerNorm = new BertLayerNorm(hidden, eps, dtype, device);
        RegisterComponents();
    }

    public IReadOnlyList<string> ProjectionNames => Names;

    public nn.Module<Tensor, Tensor> GetProjection(string name) =>
        name == "dense" ? _dense : throw Projections.Unknown(name, this);

    public void SetProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (name != "dense")
        {
            throw Projections.Unknown(name, this);
        }

        _dense = replacement;
        _internal_submodules[name] = replacement;
    }

    /// <param name="input">What <c>dense</c> reads: the attention's contexts or the intermediate activations.</param>
    /// <param name="residual">The block's input <c>[batch, seq, hidden]</c>.</param>
    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return _layerNorm.call(_dense.call(input) + residual).MoveToOuterDisposeScope();
    }
}
