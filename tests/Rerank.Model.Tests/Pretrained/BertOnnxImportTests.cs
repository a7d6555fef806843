using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Pretrained;
using Rerank.Model.Weights;

namespace Rerank.Model.Tests.Pretrained;

/// <summary>
/// Name recovery from BERT exports: synthetic ones built here from known weights (numbered, transposed Linear
/// weights, shuffled nodes), and the two real packages against the published shape of their models.
/// </summary>
public sealed class BertOnnxImportTests
{
    // A tiny BERT: hidden 8 split into 2 heads of 4, 2 layers, intermediate 12, 16 positions, 30 tokens.
    private static readonly BackboneConfig Tiny = new()
    {
        Architecture = BackboneArchitecture.Bert,
        VocabSize = 30,
        HiddenSize = 8,
        IntermediateSize = 12,
        NumLayers = 2,
        NumHeads = 2,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 16,
        TypeVocabSize = 2,
        LayerNormEps = 1e-12,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Recover_ShuffledSyntheticExport_GivesTheOriginalWeightsAndConfig(int shuffleSeed)
    {
        var original = BertWeights.CreateRandom(Tiny, seed: 11);
        var model = SyntheticBertExport.Build(Tiny, original, shuffleSeed: shuffleSeed);

        var imported = BertOnnxImport.Recover(model);

        Assert.Equal(Tiny, imported.Config);
        AssertSameWeights(original, imported.Weights);
    }

    [Fact]
    public void Recover_PrefixedExportWithLayerNormalizationAndMatMulFirst_GivesTheOriginalWeightsAndConfig()
    {
        // Four heads of 2, eps 1e-5 (LayerNormalization's attribute), "bert." names, Add(MatMul, bias), Constant shapes.
        var config = Tiny with { NumHeads = 4, NumKeyValueHeads = 4, LayerNormEps = 1e-5, NumLayers = 3 };
        var original = BertWeights.CreateRandom(config, seed: 5);
        var model = SyntheticBertExport.Build(config, original, layerNormalizationOp: true, prefix: "bert.", biasFirst: false, headsFromConcat: false);

        var imported = BertOnnxImport.Recover(model);

        Assert.Equal(config, imported.Config);
        AssertSameWeights(original, imported.Weights);
    }

    [Fact]
    public void Recover_SyntheticExport_LinearWeightIsTheTransposeOfTheMatMulInitializer()
    {
        // An independent spot check of the layout: W[out, in] of the query projection is the stored matrix's [in, out].
        var original = BertWeights.CreateRandom(Tiny, seed: 3);
        var model = SyntheticBertExport.Build(Tiny, original);
        var biasAdd = model.Graph.Node.Single(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.1.attention.self.query.bias"));
        var matMul = model.Graph.Node.Single(n => n.OpType == "MatMul" && biasAdd.Input.Contains(n.Output[0]));
        var stored = model.Graph.Initializer.Single(t => t.Name == matMul.Input[1]);
        var storedValues = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(stored.RawData.Span).ToArray();

        var weight = BertOnnxImport.Recover(model).Weights.Get("encoder.layer.1.attention.self.query.weight", 8, 8);

        Assert.Equal([8L, 8L], stored.Dims);
        for (var o = 0; o < 8; o++)
        {
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(storedValues[(i * 8) + o], weight.Values[(o * 8) + i]);
            }
        }
    }

    [Fact]
    public void Recover_MatMulWithoutItsBiasAdd_NamesThatMatMulsWeightAndEveryOtherProblem()
    {
        var original = BertWeights.CreateRandom(Tiny, seed: 11);
        var model = SyntheticBertExport.Build(
            Tiny, original, moduleWithoutBias: "encoder.layer.1.attention.self.key", omitted: "encoder.layer.0.output.LayerNorm.bias");
        var nodes = model.Graph.Node;
        var matMul = nodes.Single(n => n.OpType == "MatMul" && model.Graph.Initializer.Any(t => t.Name == n.Input[1])
            && !nodes.Any(a => a.OpType == "Add" && a.Input.Contains(n.Output[0]) && a.Input.Any(i => i.EndsWith(".bias", StringComparison.Ordinal))));
        var weightName = matMul.Input[1];

        var exception = Assert.Throws<OnnxImportException>(() => BertOnnxImport.Recover(model, "export.onnx"));

        Assert.Contains(exception.Problems, p => p.Contains("MatMul", StringComparison.Ordinal) && p.Contains($"'{weightName}'", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("encoder.layer.1.attention.self.key.weight [8, 8]: missing", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("encoder.layer.0.output.LayerNorm.bias [8]: missing", StringComparison.Ordinal));
        Assert.StartsWith("export.onnx: ", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, exception.Problems.Count);
    }

    [Fact]
    public void Recover_GraphWithoutBertEmbeddings_NamesTheMissingEmbeddings()
    {
        var b = new OnnxGraphBuilder("not-bert");
        var x = b.Input("x", OnnxElementType.Float, "batch", 4);
        var y = b.Node("Add", [b.Node("MatMul", [x, b.Initializer("w", new float[8], 4, 2)]), b.Initializer("dense.bias", new float[2], 2)]);
        b.Output(y, OnnxElementType.Float, "batch", 2);

        var exception = Assert.Throws<OnnxImportException>(() => BertOnnxImport.Recover(b.Build("test")));

        Assert.Equal(
            ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight"],
            exception.Problems.Select(p => p.Split(' ')[2]).ToArray());
    }

    [Fact]
    public void Recover_TanhGeluAndNoHeadSplit_RefusesBoth()
    {
        var original = BertWeights.CreateRandom(Tiny, seed: 2);
        var model = SyntheticBertExport.Build(Tiny, original);
        foreach (var node in model.Graph.Node.Where(n => n.OpType is "Erf" or "Reshape"))
        {
            node.OpType = node.OpType == "Erf" ? "Tanh" : "Expand";
        }

        var exception = Assert.Throws<OnnxImportException>(() => BertOnnxImport.Recover(model));

        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains(exception.Problems, p => p.Contains("head count cannot be read", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.Contains("no Erf or Gelu node", StringComparison.Ordinal));
    }

    [Fact]
    public void Recover_ExternalDataAndFloat16_RefusesThoseInitializersByName()
    {
        var original = BertWeights.CreateRandom(Tiny, seed: 4);
        var model = SyntheticBertExport.Build(Tiny, original);
        var word = model.Graph.Initializer.Single(t => t.Name == "embeddings.word_embeddings.weight");
        word.DataLocation = TensorProto.Types.DataLocation.External;
        var norm = model.Graph.Initializer.Single(t => t.Name == "embeddings.LayerNorm.bias");
        norm.DataType = (int)OnnxElementType.Float16;

        var exception = Assert.Throws<OnnxImportException>(() => BertOnnxImport.Recover(model));

        Assert.Equal(2, exception.Problems.Count);
        Assert.Contains("initializer 'embeddings.word_embeddings.weight' is stored in an external data file, which is not supported", exception.Problems[0], StringComparison.Ordinal);
        Assert.Contains("initializer 'embeddings.LayerNorm.bias' has ONNX data type 10; only float32 (1) is supported", exception.Problems[1], StringComparison.Ordinal);
    }

    public static TheoryData<string> Encoders => [.. PretrainedEncoders.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Recover_RealPackage_GivesEveryBertParameterAndThePublishedShape(string name)
    {
        var encoder = PretrainedEncoders.Find(name)!;
        var model = ModelProto.Parser.ParseFrom(PretrainedPackages.ReadResource(encoder, encoder.ModelResource));

        var imported = BertOnnxImport.Recover(model, encoder.ModelResource);

        // all-MiniLM-L6-v2 and arctic-embed-xs: bert-base-uncased's vocabulary, 6 layers, hidden 384 in 12 heads,
        // intermediate 1536, 512 positions, 2 token types, layer_norm_eps 1e-12 (their config.json files).
        var expected = new BackboneConfig
        {
            Architecture = BackboneArchitecture.Bert,
            VocabSize = 30_522,
            HiddenSize = 384,
            IntermediateSize = 1536,
            NumLayers = 6,
            NumHeads = 12,
            NumKeyValueHeads = 12,
            MaxPositionEmbeddings = 512,
            TypeVocabSize = 2,
            LayerNormEps = 1e-12,
        };
        Assert.Equal(expected, imported.Config);
        // 5 embedding tensors + 16 per layer (6 Linear weights and biases, 2 LayerNorms).
        Assert.Equal(5 + (6 * 16), imported.Weights.Count);
        foreach (var (parameter, shape) in BertWeights.ParameterShapes(expected))
        {
            imported.Weights.Get(parameter, shape);
        }

        // Trained LayerNorm weights are near 1, never the 0 of an unread tensor.
        Assert.InRange(imported.Weights.Get("encoder.layer.5.output.LayerNorm.weight", 384).Values.Average(), 0.2, 5);
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Recover_RealPackage_EveryLinearReproducesTheExportsMatMulAndAdd(string name)
    {
        // ONNX Runtime runs the package's own graph with each Linear's input and output exposed; each recovered
        // W [out, in] and bias must give that output from that input: y = x W^T + b.
        var encoder = PretrainedEncoders.Find(name)!;
        var model = ModelProto.Parser.ParseFrom(PretrainedPackages.ReadResource(encoder, encoder.ModelResource));
        var weights = BertOnnxImport.Recover(model).Weights;
        var probes = new List<(string Module, string Input, string Output)>();
        foreach (var add in model.Graph.Node.Where(n => n.OpType == "Add"))
        {
            var bias = add.Input.FirstOrDefault(i => i.StartsWith("encoder.layer.", StringComparison.Ordinal) && i.EndsWith(".bias", StringComparison.Ordinal));
            var other = bias is null ? null : add.Input[0] == bias ? add.Input[1] : add.Input[0];
            if (model.Graph.Node.SingleOrDefault(n => n.OpType == "MatMul" && n.Output[0] == other) is { } matMul)
            {
                probes.Add((bias![..^".bias".Length], matMul.Input[0], add.Output[0]));
            }
        }

        Assert.Equal(6 * 6, probes.Count);
        var exposed = probes.SelectMany(p => new[] { p.Input, p.Output }).Distinct().ToList();
        foreach (var value in exposed)
        {
            model.Graph.Output.Add(new ValueInfoProto { Name = value, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)OnnxElementType.Float } } });
        }

        long[] ids = [101, 7592, 2088, 1012, 102]; // [CLS] hello world . [SEP]
        var tokens = ids.Length;
        using var session = new InferenceSession(model.ToByteArray());
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, [1, tokens]);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, tokens).ToArray(), [1, tokens]);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[tokens], [1, tokens]);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [inputIds, mask, types], exposed);
        var values = exposed.Select((v, i) => (v, outputs[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.v, p => p.Item2);

        foreach (var (module, input, output) in probes)
        {
            var w = weights.Tensors.Single(t => t.Name == module + ".weight");
            var b = weights.Tensors.Single(t => t.Name == module + ".bias").Values;
            var (outWidth, inWidth) = ((int)w.Shape[0], (int)w.Shape[1]);
            var x = values[input];
            var y = values[output];
            Assert.Equal(tokens * inWidth, x.Length);
            var worst = 0.0;
            for (var t = 0; t < tokens; t++)
            {
                for (var o = 0; o < outWidth; o++)
                {
                    var sum = (double)b[o];
                    for (var i = 0; i < inWidth; i++)
                    {
                        sum += (double)x[(t * inWidth) + i] * w.Values[(o * inWidth) + i];
                    }

                    worst = Math.Max(worst, Math.Abs(sum - y[(t * outWidth) + o]));
                }
            }

            Assert.True(worst < 1e-3, $"{module}: max abs difference {worst}");
        }
    }

    private static void AssertSameWeights(WeightSet expected, WeightSet actual)
    {
        Assert.Equal(expected.Names.ToArray(), actual.Names.ToArray());
        foreach (var tensor in expected.Tensors)
        {
            var recovered = actual.Get(tensor.Name, tensor.Shape);
            Assert.True(tensor.Values.AsSpan().SequenceEqual(recovered.Values), $"{tensor.Name} differs");
        }
    }
}
