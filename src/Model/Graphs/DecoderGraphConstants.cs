using System.Globalization;
using Rerank.Model.Onnx;

namespace Rerank.Model.Graphs;

/// <summary>
/// Small constant initializers (shapes, axes, scalars) for one graph, each added once and shared by every node
/// that needs the same value, under names that start with <c>{prefix}const_</c>.
/// </summary>
internal sealed class DecoderGraphConstants(OnnxGraphBuilder graph, string prefix)
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>An int64 vector constant (a shape, axes, slice bounds).</summary>
    public string Int64s(params long[] values) =>
        GetOrAdd("i64[" + string.Join(",", values) + "]", name => graph.Initializer(name, values, values.Length));

    /// <summary>An int64 scalar constant (Range bounds, Gather indices that drop an axis).</summary>
    public string Int64Scalar(long value) =>
        GetOrAdd("i64 " + value.ToString(CultureInfo.InvariantCulture), name => graph.Initializer(name, (ReadOnlySpan<long>)[value]));

    /// <summary>A float scalar constant, broadcast against any tensor.</summary>
    public string FloatScalar(float value) =>
        GetOrAdd("f32 " + BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture), name => graph.Initializer(name, (ReadOnlySpan<float>)[value]));

    private string GetOrAdd(string key, Func<string, string> add)
    {
        if (!_names.TryGetValue(key, out var name))
        {
            name = add(string.Create(CultureInfo.InvariantCulture, $"{prefix}const_{_names.Count}"));
            _names.Add(key, name);
        }

        return name;
    }
}
