namespace Rerank.Model.Weights;

/// <summary>
/// One named fp32 weight tensor in row-major order. Linear weights follow PyTorch's layout, <c>[out, in]</c>, and
/// names follow the Hugging Face / PyTorch module paths (<c>model.layers.0.self_attn.q_proj.weight</c>).
/// </summary>
internal sealed record WeightTensor
{
    public WeightTensor(string name, long[] shape, float[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (shape.Any(d => d < 0) || count != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has {values.Length} values but shape [{string.Join(", ", shape)}].", nameof(values));
        }

        Name = name;
        Shape = shape;
        Values = values;
    }

    public string Name { get; }

    public long[] Shape { get; }

    public float[] Values { get; }

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
