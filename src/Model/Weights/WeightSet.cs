namespace Rerank.Model.Weights;

/// <summary>
/// Weights by name. Lookups check the shape the caller expects, so a checkpoint that does not fit the architecture
/// fails with the tensor's name, never with an index error deep inside a graph.
/// </summary>
internal sealed class WeightSet
{
    private readonly Dictionary<string, WeightTensor> _tensors = new(StringComparer.Ordinal);

    public WeightSet()
    {
    }

    public WeightSet(IEnumerable<WeightTensor> tensors)
    {
        foreach (var tensor in tensors)
        {
            Add(tensor);
        }
    }

    public int Count => _tensors.Count;

    public IEnumerable<string> Names => _tensors.Keys;

    public IEnumerable<WeightTensor> Tensors => _tensors.Values;

    public void Add(WeightTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_tensors.TryAdd(tensor.Name, tensor))
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' is already in the set.", nameof(tensor));
        }
    }

    public void Add(string name, long[] shape, float[] values) => Add(new WeightTensor(name, shape, values));

    public bool Contains(string name) => _tensors.ContainsKey(name);

    /// <summary>The tensor <paramref name="name"/>, which must have exactly <paramref name="shape"/>.</summary>
    /// <exception cref="InvalidDataException">The tensor is missing or has another shape; the message names it.</exception>
    public WeightTensor Get(string name, params long[] shape)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"Weight '{name}' is missing.");
        }

        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new InvalidDataException($"Weight '{name}' has shape {tensor.ShapeText}, expected [{string.Join(", ", shape)}].");
        }

        return tensor;
    }
}
