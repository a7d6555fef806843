using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>The decoder's linear layers and the bookkeeping of <see cref="IProjectionHost"/>.</summary>
internal static class Projections
{
    /// <summary>
    /// A <c>Linear</c> with zero <c>weight [out, in]</c> (and <c>bias [out]</c>): the values come from a checkpoint, so the
    /// default Kaiming initialisation would only cost time.
    /// </summary>
    public static Linear Create(long inFeatures, long outFeatures, bool bias, ScalarType dtype, Device device) =>
        nn.Linear(
            new Parameter(zeros(outFeatures, inFeatures, dtype: dtype, device: device)),
            bias ? new Parameter(zeros(outFeatures, dtype: dtype, device: device)) : null);

    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of the host's projections.</exception>
    public static ArgumentException Unknown(string name, IProjectionHost host) =>
        new($"'{name}' is not a projection of this module (it has {string.Join(", ", host.ProjectionNames)}).", nameof(name));
}
