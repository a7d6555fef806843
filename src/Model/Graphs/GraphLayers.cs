using System.Runtime.InteropServices;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;

namespace Rerank.Model.Graphs;

/// <summary>Small graph pieces the student's graphs share.</summary>
internal static class GraphLayers
{
    /// <summary>
    /// y = x W^T + b for a PyTorch-layout weight <c>[out, in]</c>. W^T is stored as the initializer (transposed once
    /// here, not by a node at every run), so the MatMul reads it in the layout it wants.
    /// </summary>
    public static string Linear(OnnxGraphBuilder graph, string x, WeightTensor weight, WeightTensor? bias)
    {
        var rows = (int)weight.Shape[0];
        var cols = (int)weight.Shape[1];
        var transposed = graph.InitializerTakingOwnership(weight.Name + ".T", TransposedBytes(weight.Values, rows, cols), cols, rows);
        var y = graph.Node("MatMul", [x, transposed]);
        return bias is null ? y : graph.Node("Add", [y, graph.Initializer(bias.Name, bias.Values, bias.Shape)]);
    }

    /// <summary>The columns <paramref name="start"/>..start+count of a <c>[rows, cols]</c> matrix, transposed: <c>[count, rows]</c>.</summary>
    public static float[] TransposedColumns(float[] matrix, int rows, int cols, int start, int count)
    {
        var result = new float[count * rows];
        TransposeColumnsInto(matrix, rows, cols, start, count, result);
        return result;
    }

    /// <summary>
    /// A <c>[rows, cols]</c> matrix transposed to <c>[cols, rows]</c>, as the little-endian float bytes of an ONNX
    /// initializer: written once, straight into the buffer the graph keeps (no intermediate float array).
    /// </summary>
    public static byte[] TransposedBytes(float[] matrix, int rows, int cols)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian; this machine is not.");
        }

        var bytes = new byte[checked(matrix.Length * sizeof(float))];
        TransposeColumnsInto(matrix, rows, cols, 0, cols, MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return bytes;
    }

    private static void TransposeColumnsInto(ReadOnlySpan<float> matrix, int rows, int cols, int start, int count, Span<float> result)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < count; c++)
            {
                result[(c * rows) + r] = matrix[(r * cols) + start + c];
            }
        }
    }

    public static string Scalar(OnnxGraphBuilder graph, string name, float value) => graph.Initializer(name, [value]);

    public static string Shape(OnnxGraphBuilder graph, string name, params long[] values) => graph.Initializer(name, values, values.Length);
}
