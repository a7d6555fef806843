using TorchSharp.Modules;
using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>encoder</c>: the layers <c>encoder.layer.0 .. N-1</c> in order, each reading the same additive mask.</summary>
internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "layer")]
    private readonly ModuleList<BertLayer> _layer;

    public BertEncoder(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertEncoder))
    {
        _layer = nn.ModuleList([.. Enumerable.Range(0, config.NumLayers).Select(_ => new BertLayer(config, dtype, device))]);
        RegisterComponents();
    }

    public IEnumerable<BertLayer> Layers => _layer;

    public override Tensor forward(Tensor input, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in _layer)
        {
            x = layer.call(x, additiveMask);
        }

        return x.MoveToOuterDisposeScope();
    }
}
