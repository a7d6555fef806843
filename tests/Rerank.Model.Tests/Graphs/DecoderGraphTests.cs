using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Graphs;

public sealed class DecoderGraphTests(ITestOutputHelper output) : IDisposable
{
    private const double ReferenceTolerance = 1e-4;
    private const double BatchTolerance = 1e-5;

    // LLaMA with grouped-query attention: two query heads per kv head.
    private static readonly BackboneConfig LlamaGqa = new()
    {
        Architecture = BackboneArchitecture.Llama,
        VocabSize = 50,
        HiddenSize = 64,
        IntermediateSize = 96,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 2,
        RmsNormEps = 1e-5,
        MaxPositionEmbeddings = 128,
    };

    // Qwen2: q/k/v biases, rope_theta 1e6, four query heads per kv head.
    private static readonly BackboneConfig Qwen2 = new()
    {
        Architecture = BackboneArchitecture.Qwen2,
        VocabSize = 50,
        HiddenSize = 64,
        IntermediateSize = 112,
        NumLayers = 2,
        NumHeads = 8,
        NumKeyValueHeads = 2,
        RopeTheta = 1_000_000,
        RmsNormEps = 1e-6,
        MaxPositionEmbeddings = 64,
        TieWordEmbeddings = true,
    };

    // Tied embeddings and plain multi-head attention (no kv repetition).
    private static readonly BackboneConfig LlamaTied = new()
    {
        Architecture = BackboneArchitecture.Llama,
        VocabSize = 40,
        HiddenSize = 48,
        IntermediateSize = 80,
        NumLayers = 3,
        NumHeads = 4,
        NumKeyValueHeads = 4,
        TieWordEmbeddings = true,
    };

    private static readonly long[] Tokens = [3, 17, 42, 8, 25, 49, 1, 30, 12, 7, 44];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("llama-gqa")]
    [InlineData("qwen2")]
    [InlineData("llama-tied")]
    public void AddBackbone_RandomWeights_MatchesReference(string configName)
    {
        var config = Config(configName);
        var weights = DecoderWeights.CreateRandom(config, seed: 7);
        var tokens = Tokens.Select(t => t % config.VocabSize).ToArray();
        using var session = new InferenceSession(SaveModel(config, weights));

        var actual = BackboneGraphRuns.Run(session, config, [tokens], tokens.Length);

        var expected = ReferenceDecoder.Forward(config, weights, tokens);
        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, expected, tokens.Length, config.HiddenSize);
        output.WriteLine($"{configName}: max |graph - reference| = {maxDiff:E2} over {tokens.Length} tokens");
        Assert.True(maxDiff <= ReferenceTolerance, $"{configName}: max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_RightPaddedBatch_RealTokensMatchEachSequenceAloneAndReference()
    {
        var config = LlamaGqa;
        var weights = DecoderWeights.CreateRandom(config, seed: 11);
        long[][] sequences = [[5, 9, 14, 2, 33, 21, 40], [7, 19, 4], [12, 48, 6, 27, 3]];
        using var session = new InferenceSession(SaveModel(config, weights));

        var batch = BackboneGraphRuns.Run(session, config, sequences, 7);

        Assert.DoesNotContain(batch, value => !float.IsFinite(value));
        var d = config.HiddenSize;
        var maxAloneDiff = 0.0;
        var maxReferenceDiff = 0.0;
        for (var b = 0; b < sequences.Length; b++)
        {
            var length = sequences[b].Length;
            var alone = BackboneGraphRuns.Run(session, config, [sequences[b]], length);
            for (var i = 0; i < length * d; i++)
            {
                maxAloneDiff = Math.Max(maxAloneDiff, Math.Abs(batch[(b * 7 * d) + i] - alone[i]));
            }

            var reference = ReferenceDecoder.Forward(config, weights, sequences[b]);
            maxReferenceDiff = Math.Max(maxReferenceDiff, BackboneGraphRuns.MaxAbsDiff(batch, b * 7 * d, reference, length, d));
        }

        output.WriteLine($"padded batch: max |batch - alone| = {maxAloneDiff:E2}, max |batch - reference| = {maxReferenceDiff:E2}");
        Assert.True(maxAloneDiff <= BatchTolerance, $"max abs diff to the sequence alone {maxAloneDiff:E2} > {BatchTolerance:E0}");
        Assert.True(maxReferenceDiff <= ReferenceTolerance, $"max abs diff to the reference {maxReferenceDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_RightPaddedBatch_PaddedRowsAttendOnlyToRealKeys()
    {
        // A padded query row sees the real keys before it and no padding key (itself included): the reference
        // with the padded sequence and its mask, pad id 0 at the padded positions.
        var config = LlamaGqa;
        var weights = DecoderWeights.CreateRandom(config, seed: 12);
        long[][] sequences = [[5, 9, 14, 2, 33, 21, 40], [7, 19, 4]];
        using var session = new InferenceSession(SaveModel(config, weights));

        var batch = BackboneGraphRuns.Run(session, config, sequences, 7);

        var expected = ReferenceDecoder.Forward(config, weights, [7, 19, 4, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0]);
        var maxDiff = BackboneGraphRuns.MaxAbsDiff(batch, 7 * config.HiddenSize, expected, 7, config.HiddenSize);
        output.WriteLine($"padded rows: max |graph - masked reference| = {maxDiff:E2}");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_MaskedKeyInsideSequence_KeyIsHiddenFromLaterQueries()
    {
        // Right padding alone never puts a padding key before a real query, so this hole in the mask is what
        // shows the key-padding half of the mask is applied (the causal half cannot hide key 2 from query 3).
        var config = Qwen2;
        var weights = DecoderWeights.CreateRandom(config, seed: 13);
        long[] tokens = [4, 8, 15, 16, 23, 42];
        long[] mask = [1, 1, 0, 1, 1, 1];
        using var session = new InferenceSession(SaveModel(config, weights));

        var actual = BackboneGraphRuns.Run(session, config, [tokens], tokens.Length, [mask]);

        var expected = ReferenceDecoder.Forward(config, weights, tokens, mask);
        var unmasked = ReferenceDecoder.Forward(config, weights, tokens);
        Assert.True(Math.Abs(expected[5][0] - unmasked[5][0]) > 1e-3, "the hole must change the reference, or this test proves nothing");
        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, expected, tokens.Length, config.HiddenSize);
        output.WriteLine($"mask with a hole: max |graph - reference| = {maxDiff:E2}");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_AllPaddingSequence_OutputIsFiniteAndOthersUnchanged()
    {
        var config = LlamaGqa;
        var weights = DecoderWeights.CreateRandom(config, seed: 14);
        long[] tokens = [9, 3, 27, 31];
        using var session = new InferenceSession(SaveModel(config, weights));

        var batch = BackboneGraphRuns.Run(session, config, [tokens, []], 4);

        Assert.DoesNotContain(batch, value => !float.IsFinite(value));
        var expected = ReferenceDecoder.Forward(config, weights, tokens);
        Assert.True(BackboneGraphRuns.MaxAbsDiff(batch, 0, expected, 4, config.HiddenSize) <= ReferenceTolerance);
    }

    [Fact]
    public void AddBackbone_SequenceOfMaxPositions_MatchesReferenceAndOneMoreFails()
    {
        var config = LlamaTied with { MaxPositionEmbeddings = 24 };
        var weights = DecoderWeights.CreateRandom(config, seed: 15);
        var tokens = Enumerable.Range(0, 25).Select(i => (long)((i * 7) + 3) % config.VocabSize).ToArray();
        using var session = new InferenceSession(SaveModel(config, weights));

        var actual = BackboneGraphRuns.Run(session, config, [tokens[..24]], 24);

        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, ReferenceDecoder.Forward(config, weights, tokens[..24]), 24, config.HiddenSize);
        output.WriteLine($"24 of 24 positions: max |graph - reference| = {maxDiff:E2}");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
        Assert.Throws<OnnxRuntimeException>(() => BackboneGraphRuns.Run(session, config, [tokens], 25));
    }

    [Fact]
    public void AddBackbone_MissingTensor_ThrowsNamingIt()
    {
        const string Name = "model.layers.1.mlp.up_proj.weight";
        var weights = new WeightSet(DecoderWeights.CreateRandom(LlamaGqa, seed: 1).Tensors.Where(t => t.Name != Name));

        var error = Assert.Throws<InvalidDataException>(() => AddBackbone(LlamaGqa, weights));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void AddBackbone_WrongShapeTensor_ThrowsNamingItAndBothShapes()
    {
        const string Name = "model.layers.0.self_attn.k_proj.weight";
        var weights = new WeightSet(DecoderWeights.CreateRandom(LlamaGqa, seed: 1).Tensors
            .Select(t => t.Name == Name ? new WeightTensor(Name, [64, 64], new float[64 * 64]) : t));

        var error = Assert.Throws<InvalidDataException>(() => AddBackbone(LlamaGqa, weights));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains("[64, 64]", error.Message);
        Assert.Contains("expected [32, 64]", error.Message);
    }

    [Fact]
    public void AddBackbone_QwenWithoutBias_ThrowsNamingTheBias()
    {
        const string Name = "model.layers.0.self_attn.v_proj.bias";
        var weights = new WeightSet(DecoderWeights.CreateRandom(Qwen2, seed: 1).Tensors.Where(t => t.Name != Name));

        var error = Assert.Throws<InvalidDataException>(() => AddBackbone(Qwen2, weights));

        Assert.Contains($"'{Name}'", error.Message);
    }

    [Fact]
    public void AddBackbone_HiddenNotDivisibleByHeads_ThrowsArgumentExceptionListingEveryProblem()
    {
        var config = LlamaGqa with { HiddenSize = 60, NumHeads = 8, VocabSize = 0 };

        var error = Assert.Throws<ArgumentException>(() => AddBackbone(config, new WeightSet()));

        Assert.Contains("hidden_size 60 is not a multiple of num_attention_heads 8", error.Message);
        Assert.Contains("vocab_size must be positive", error.Message);
    }

    [Fact]
    public void ApplyRope_HeadDim4Position1_MatchesHandWorkedValues()
    {
        // head_dim 4, theta 10000, position 1: inv_freq = [1 / 10000^(0/4), 1 / 10000^(2/4)] = [1, 0.01], so the
        // angles are [1, 0.01] for both halves. x = [1, 2, 3, 4]: x1 = [1, 2], x2 = [3, 4],
        // rotate_half(x) = [-3, -4, 1, 2], and x' = x * cos + rotate_half(x) * sin:
        //   x'0 = 1 cos 1 - 3 sin 1         = 0.5403023058681398 - 2.5244129544236896 = -1.9841106485555498
        //   x'1 = 2 cos 0.01 - 4 sin 0.01   = 1.9999000008333306 - 0.0399993333366667 =  1.9599006674966640
        //   x'2 = 3 cos 1 + 1 sin 1         = 1.6209069176044195 + 0.8414709848078965 =  2.4623779024123160
        //   x'3 = 4 cos 0.01 + 2 sin 0.01   = 3.9998000016666613 + 0.0199996666683333 =  4.0197996683349946
        var rotated = ReferenceDecoder.ApplyRope([1, 2, 3, 4], position: 1, theta: 10_000);

        Assert.Equal([-1.98411064855555, 1.95990066749666, 2.46237790241232, 4.01979966833499], rotated.Select(v => Math.Round(v, 14)));
    }

    [Fact]
    public void ApplyRope_Position0_IsIdentity()
    {
        Assert.Equal([0.5, -1.5, 2.0, 3.25], ReferenceDecoder.ApplyRope([0.5, -1.5, 2.0, 3.25], position: 0, theta: 10_000));
    }

    [Fact]
    public void ParameterShapes_OneLayerLlama_ListsTheHuggingFaceKeys()
    {
        var config = LlamaGqa with { NumLayers = 1 };

        var shapes = DecoderWeights.ParameterShapes(config).Select(p => $"{p.Name} [{string.Join(", ", p.Shape)}]");

        Assert.Equal(
            [
                "model.embed_tokens.weight [50, 64]",
                "model.layers.0.input_layernorm.weight [64]",
                "model.layers.0.self_attn.q_proj.weight [64, 64]",
                "model.layers.0.self_attn.k_proj.weight [32, 64]",
                "model.layers.0.self_attn.v_proj.weight [32, 64]",
                "model.layers.0.self_attn.o_proj.weight [64, 64]",
                "model.layers.0.post_attention_layernorm.weight [64]",
                "model.layers.0.mlp.gate_proj.weight [96, 64]",
                "model.layers.0.mlp.up_proj.weight [96, 64]",
                "model.layers.0.mlp.down_proj.weight [64, 96]",
                "model.norm.weight [64]",
                "lm_head.weight [50, 64]",
            ],
            shapes);
    }

    [Fact]
    public void ParameterShapes_Qwen2_AddsQkvBiasesAndTiedDropsLmHead()
    {
        var names = DecoderWeights.ParameterShapes(Qwen2).ToDictionary(p => p.Name, p => string.Join(", ", p.Shape));

        Assert.Equal("64", names["model.layers.1.self_attn.q_proj.bias"]);
        Assert.Equal("16", names["model.layers.1.self_attn.k_proj.bias"]);
        Assert.Equal("16", names["model.layers.1.self_attn.v_proj.bias"]);
        Assert.Equal(6, names.Keys.Count(n => n.EndsWith(".bias", StringComparison.Ordinal)));
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names.Keys);
        Assert.DoesNotContain("lm_head.weight", names.Keys);
        Assert.Equal(1 + (2 * 12) + 1, names.Count);
    }

    [Fact]
    public void CreateRandom_SameSeed_BitIdenticalAndDifferentSeedDiffers()
    {
        var first = DecoderWeights.CreateRandom(LlamaGqa, seed: 5);
        var second = DecoderWeights.CreateRandom(LlamaGqa, seed: 5);
        var other = DecoderWeights.CreateRandom(LlamaGqa, seed: 6);

        Assert.Equal(DecoderWeights.ParameterShapes(LlamaGqa).Select(p => p.Name), first.Tensors.Select(t => t.Name));
        foreach (var tensor in first.Tensors)
        {
            var same = second.Get(tensor.Name, tensor.Shape).Values;
            Assert.True(tensor.Values.AsSpan().SequenceEqual(same), $"{tensor.Name} differs between two runs with seed 5");
            Assert.False(tensor.Values.AsSpan().SequenceEqual(other.Get(tensor.Name, tensor.Shape).Values), $"{tensor.Name} is the same for seeds 5 and 6");
        }
    }

    [Fact]
    public void CreateRandom_Values_HaveTheRequestedMeanAndSpread()
    {
        var weights = DecoderWeights.CreateRandom(LlamaGqa with { VocabSize = 2000 }, seed: 3);

        var (embedMean, embedStd) = MeanStd(weights.Get("model.embed_tokens.weight", 2000, 64).Values);
        var norms = weights.Tensors.Where(t => t.Name.EndsWith("norm.weight", StringComparison.Ordinal)).SelectMany(t => t.Values).ToArray();
        var (normMean, normStd) = MeanStd(norms);

        Assert.InRange(embedMean, -0.001, 0.001);
        Assert.InRange(embedStd, 0.0195, 0.0205);
        Assert.InRange(normMean, 0.98, 1.02);
        Assert.InRange(normStd, 0.09, 0.11);
    }

    [Fact]
    public void NextUInt64_Seed0_MatchesTheSplitMix64ReferenceOutput()
    {
        // The first outputs of Vigna's splitmix64.c with x = 0.
        var state = 0UL;

        Assert.Equal(0xE220A8397B1DCDAFUL, SeededNormal.NextUInt64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, SeededNormal.NextUInt64(ref state));
        Assert.Equal(0x06C45D188009454FUL, SeededNormal.NextUInt64(ref state));
    }

    private static BackboneConfig Config(string name) => name switch
    {
        "llama-gqa" => LlamaGqa,
        "qwen2" => Qwen2,
        "llama-tied" => LlamaTied,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>A graph with inputs input_ids and attention_mask [batch, seq] and the backbone's output.</summary>
    private static OnnxGraphBuilder AddBackbone(BackboneConfig config, WeightSet weights)
    {
        var graph = new OnnxGraphBuilder("decoder");
        var ids = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        var hidden = DecoderGraph.AddBackbone(graph, config, weights, ids, mask);
        graph.Output(hidden, OnnxElementType.Float, "batch", "seq", config.HiddenSize);
        return graph;
    }

    private string SaveModel(BackboneConfig config, WeightSet weights)
    {
        var graph = AddBackbone(config, weights);
        var path = Path.Combine(_temp.Path, $"decoder-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Save(graph.Build("rerank-tests"), path);
        return path;
    }

    private static (double Mean, double Std) MeanStd(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }
}
