using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>intermediate</c>: <c>gelu(dense(x))</c> with the exact, erf-based GELU (<c>hidden_act: gelu</c>).</summary>
internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>, IProjectionHost
{
    private static readonly string[] Names = ["dense"];

    [ComponentName(Name = "dense")]
    private nn.Module<Tensor, Tensor> _dense;

    public BertIntermediate(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertIntermediate))
    {
        _dense = Projections.Create(config.HiddenSize, config.IntermediateSize, bias: true, dtype, device);
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

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(_dense.call(input)).MoveToOuterDisposeScope();
    }
}
