using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Rerank.Model.Onnx.Proto;

namespace Rerank.Model.Onnx;

/// <summary>
/// Builds one ONNX model graph: typed inputs with symbolic dimensions, initializers, nodes and outputs, under one
/// pinned opset of the default ONNX domain. Not thread-safe; build a graph on one thread.
/// </summary>
/// <remarks>
/// Every value name is unique in the graph; a node may only read values that exist when it is added (graph
/// inputs, initializers, earlier node outputs), so a graph built here is in topological order as ONNX requires.
/// Node outputs get generated names (<c>{opType}_{n}</c>) unless the caller names them.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The opset pinned by default: ONNX 1.12's, which ONNX Runtime 1.14 and later run in full.</summary>
    public const int DefaultOpset = 17;

    private readonly GraphProto _graph;
    private readonly OnnxGraphBuilder? _parent;

    // Names are unique across a graph and all its subgraphs (ONNX's SSA rule), so a subgraph shares its root's set
    // and node counter; what a node may read is this graph's values plus those of the enclosing graphs.
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly NodeCounter _nodeCounter;

    /// <param name="name">The graph's name.</param>
    /// <param name="opset">The default-domain opset version every node is interpreted under.</param>
    public OnnxGraphBuilder(string name, int opset = DefaultOpset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(opset, 13);
        _graph = new GraphProto { Name = name };
        _names = new HashSet<string>(StringComparer.Ordinal);
        _nodeCounter = new NodeCounter();
        Opset = opset;
    }

    private OnnxGraphBuilder(string name, OnnxGraphBuilder parent)
    {
        _graph = new GraphProto { Name = name };
        _parent = parent;
        _names = parent._names;
        _nodeCounter = parent._nodeCounter;
        Opset = parent.Opset;
    }

    public int Opset { get; }

    /// <summary>Declares a graph input and returns its name.</summary>
    public string Input(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        Declare(name);
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Adds a float initializer (weights) with the given dimensions and returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>
    /// Adds a float initializer whose raw little-endian bytes the caller hands over: they are kept, not copied, so the
    /// caller must not change <paramref name="rawData"/> afterwards. For large weights built only for the graph
    /// (transposed matrices), which would otherwise exist twice.
    /// </summary>
    public string InitializerTakingOwnership(string name, byte[] rawData, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(rawData);
        if (rawData.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"Initializer '{name}' has {rawData.Length} bytes, not a whole number of floats.", nameof(rawData));
        }

        CheckCount(name, rawData.Length / sizeof(float), dims);
        return AddInitializer(name, OnnxElementType.Float, dims, UnsafeByteOperations.UnsafeWrap(rawData));
    }

    /// <summary>Adds an int64 initializer (shapes, axes, indices) with the given dimensions and returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<long> values, params long[] dims) =>
        AddInitializer(name, OnnxElementType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, outputCount: 1, outputNames: null, attributes)[0];

    /// <summary>Adds a node with one output of the given name and returns it.</summary>
    public string NamedNode(string opType, string outputName, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        Node(opType, inputs, outputCount: 1, outputNames: [outputName], attributes)[0];

    /// <summary>
    /// Adds a node and returns its output names. An empty string in <paramref name="inputs"/> leaves an optional
    /// input out, as ONNX allows.
    /// </summary>
    public IReadOnlyList<string> Node(string opType, IReadOnlyList<string> inputs, int outputCount, IReadOnlyList<string>? outputNames, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        foreach (var input in inputs)
        {
            if (input.Length > 0 && !IsVisible(input))
            {
                throw new InvalidOperationException($"Node {opType} reads '{input}', which is not a graph input, initializer or earlier node output.");
            }
        }

        var index = _nodeCounter.Next++;
        var node = new NodeProto { OpType = opType, Name = string.Create(CultureInfo.InvariantCulture, $"{opType}_{index}") };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputCount; i++)
        {
            var output = outputNames?[i] ?? string.Create(CultureInfo.InvariantCulture, $"{node.Name}_out{i}");
            Declare(output);
            node.Output.Add(output);
        }

        foreach (var attribute in attributes)
        {
            node.Attribute.Add(attribute.Proto.Clone());
        }

        _graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Declares an existing value as a graph output with its type and shape.</summary>
    public void Output(string value, OnnxElementType type, params OnnxDim[] shape)
    {
        if (!_values.Contains(value))
        {
            throw new InvalidOperationException($"Graph output '{value}' is not a value of the graph.");
        }

        _graph.Output.Add(ValueInfo(value, type, shape));
    }

    /// <summary>
    /// A subgraph for a control-flow node's graph attribute (<c>If</c>'s branches): its nodes may read this graph's
    /// values (outer scope), and its names stay unique with this graph's. Declare its outputs, then pass it to
    /// <see cref="OnnxAttribute.Graph"/>.
    /// </summary>
    public OnnxGraphBuilder Subgraph(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new OnnxGraphBuilder(name, this);
    }

    /// <summary>The graph as built so far (a copy), for a subgraph attribute.</summary>
    internal GraphProto ToGraphProto()
    {
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException($"Graph '{_graph.Name}' has no outputs.");
        }

        return _graph.Clone();
    }

    /// <summary>
    /// The model: IR version 8 (the one that goes with opset 17), this builder's graph and opset, and the
    /// metadata as <c>metadata_props</c> in key order. The graph must have at least one output.
    /// </summary>
    public ModelProto Build(string producerName, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException($"Graph '{_graph.Name}' has no outputs.");
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producerName,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in (metadata ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private string AddInitializer(string name, OnnxElementType type, ReadOnlySpan<byte> bytes, int count, long[] dims)
    {
        CheckCount(name, count, dims);
        return AddInitializer(name, type, dims, ByteString.CopyFrom(bytes));
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values but dims [{string.Join(", ", dims)}] hold {expected}.", nameof(dims));
        }
    }

    private string AddInitializer(string name, OnnxElementType type, long[] dims, ByteString rawData)
    {
        Declare(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = rawData };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private void Declare(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The graph already has a value named '{name}'.");
        }

        _values.Add(name);
    }

    private bool IsVisible(string name) => _values.Contains(name) || (_parent?.IsVisible(name) ?? false);

    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, OnnxDim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size!.Value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private sealed class NodeCounter
    {
        public int Next;
    }
}
