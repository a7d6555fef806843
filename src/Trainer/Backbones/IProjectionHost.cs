using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// A module whose linear projections can be replaced in place (by LoRA's wrapper), keeping their names and their place
/// in the module's order.
/// </summary>
internal interface IProjectionHost
{
    /// <summary>The projections' names within this module (<c>q_proj</c>, ...), in forward order.</summary>
    IReadOnlyList<string> ProjectionNames { get; }

    /// <summary>The module now registered under <paramref name="name"/>.</summary>
    nn.Module<Tensor, Tensor> GetProjection(string name);

    /// <summary>Registers <paramref name="replacement"/> under <paramref name="name"/> in place of the current module (not disposed).</summary>
    void SetProjection(string name, nn.Module<Tensor, Tensor> replacement);
}
