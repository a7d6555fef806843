namespace Rerank.Model.Checkpoints;

/// <summary>One tensor's entry in a safetensors header.</summary>
/// <param name="Name">The key, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</param>
/// <param name="Dtype">The element type.</param>
/// <param name="Shape">Row-major dimensions; empty for a scalar.</param>
/// <param name="Begin">Start of its bytes, relative to the data section (which follows the header).</param>
/// <param name="End">End (exclusive) of its bytes, relative to the data section.</param>
internal sealed record SafetensorsTensorInfo(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public long ByteLength => End - Begin;

    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
}
