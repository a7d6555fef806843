using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>mlp</c>: SwiGLU, <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
internal sealed class DecoderMlp : nn.Module<Tensor, Tensor>, IProjectionHost
{
    private static readonly string[] Names = ["gate_proj", "up_proj", "down_proj"];

    [ComponentName(Name = "gate_proj")]
    private nn.Module<Tensor, Tensor> _gateProj;

    [ComponentName(Name = "up_proj")]
    private nn.Module<Tensor, Tensor> _upProj;

    [ComponentName(Name = "down_proj")]
    private nn.Module<Tensor, Tensor> _downProj;

    public DecoderMlp(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(DecoderMlp))
    {
        _gateProj = Projections.Create(config.HiddenSize, config.IntermediateSize, bias: false, dtype, device);
        _upProj = Projections.Create(config.HiddenSize, config.IntermediateSize, bias: false, dtype, device);
        _downProj = Projections.Create(config.IntermediateSize, config.HiddenSize, bias: false, dtype, device);
        RegisterComponents();
    }

    public IReadOnlyList<string> ProjectionNames => Names;

    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "gate_proj" => _gateProj,
        "up_proj" => _upProj,
        "down_proj" => _downProj,
        _ => throw Projections.Unknown(name, this),
    };

    public void SetProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        switch (name)
        {
            case "gate_proj": _gateProj = replacement; break;
            case "up_proj": _upProj = replacement; break;
            case "down_proj": _downProj = replacement; break;
            default: throw Projections.Unknown(name, this);
        }

        _internal_submodules[name] = replacement;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.call(input)) * _upProj.call(input);
        return _downProj.call(gated).MoveToOuterDisposeScope();
    }
}
