using Rerank.Model.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rerank.Trainer.Weights;

/// <summary>Fills TorchSharp parameters from src/Model's fp32 <see cref="WeightSet"/> (the set the ONNX graphs read).</summary>
internal static class WeightSetCopy
{
    /// <summary>
    /// Copies every named parameter's values from <paramref name="weights"/> (converted to the parameter's dtype and
    /// device), after checking every name and shape first, so a bad set changes nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static void CopyInto(IEnumerable<(string Name, Parameter Parameter)> parameters, WeightSet weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var list = parameters.ToList();
        foreach (var (name, parameter) in list)
        {
            weights.Get(name, parameter.shape);
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in list)
        {
            var source = weights.Get(name, parameter.shape);
            using var values = tensor(source.Values, source.Shape);
            parameter.copy_(values);
        }
    }
}
