using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Backbones;

public sealed class DecoderModelTests(ITestOutputHelper output) : IDisposable
{
    private const double OnnxTolerance = 1e-4;
    private const double ReferenceTolerance = 1e-4;
    private const double LogitTolerance = 1e-5;

    // LLaMA with grouped-query attention (two query heads per kv head), untied.
    private static readonly RandomCheckpointSettings Llama = new()
    {
        Architecture = BackboneArchitecture.Llama, Layers = 2, Hidden = 64, Heads = 4, KeyValueHeads = 2, Intermediate = 96, MaxPositionEmbeddings = 64, Seed = 21,
    };

    // Qwen2: q/k/v biases, rope theta 1e6, four query heads per kv head, tied embeddings.
    private static readonly RandomCheckpointSettings Qwen2 = new()
    {
        Architecture = BackboneArchitecture.Qwen2, Layers = 2, Hidden = 64, Heads = 8, KeyValueHeads = 2, Intermediate = 112, MaxPositionEmbeddings = 64, TieWordEmbeddings = true, Seed = 22,
    };

    private static readonly long[][] Batch = [[5, 9, 14, 2, 33, 21, 40], [7, 19, 4], [12, 48, 6, 27, 3]];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(BackboneArchitecture.Llama, false)]
    [InlineData(BackboneArchitecture.Llama, true)]
    [InlineData(BackboneArchitecture.Qwen2, false)]
    [InlineData(BackboneArchitecture.Qwen2, true)]
    public void ParameterNames_TwoLayers_EqualTheCheckpointKeysAndParameterShapes(BackboneArchitecture architecture, bool tied)
    {
        var config = RandomCheckpoint.Write(_temp.Path, Llama with { Architecture = architecture, TieWordEmbeddings = tied }).Decoder;
        using var model = new DecoderModel(config);

        // Written out by hand from HF's modeling_llama.py / modeling_qwen2.py for hidden 64, 4 heads, 2 kv heads (head
        // width 16), MLP 96, vocabulary V.
        var v = config.VocabSize;
        var bias = architecture == BackboneArchitecture.Qwen2;
        var expected = new List<string> { $"model.embed_tokens.weight [{v}, 64]" };
        for (var i = 0; i < 2; i++)
        {
            expected.Add($"model.layers.{i}.input_layernorm.weight [64]");
            expected.Add($"model.layers.{i}.self_attn.q_proj.weight [64, 64]");
            expected.AddRange(bias ? [$"model.layers.{i}.self_attn.q_proj.bias [64]"] : []);
            expected.Add($"model.layers.{i}.self_attn.k_proj.weight [32, 64]");
            expected.AddRange(bias ? [$"model.layers.{i}.self_attn.k_proj.bias [32]"] : []);
            expected.Add($"model.layers.{i}.self_attn.v_proj.weight [32, 64]");
            expected.AddRange(bias ? [$"model.layers.{i}.self_attn.v_proj.bias [32]"] : []);
            expected.Add($"model.layers.{i}.self_attn.o_proj.weight [64, 64]");
            expected.Add($"model.layers.{i}.post_attention_layernorm.weight [64]");
            expected.Add($"model.layers.{i}.mlp.gate_proj.weight [96, 64]");
            expected.Add($"model.layers.{i}.mlp.up_proj.weight [96, 64]");
            expected.Add($"model.layers.{i}.mlp.down_proj.weight [64, 96]");
        }

        expected.Add("model.norm.weight [64]");
        expected.AddRange(tied ? [] : [$"lm_head.weight [{v}, 64]"]);

        var module = model.named_parameters().Select(p => $"{p.name} {SafetensorsTensorInfo.FormatShape(p.parameter.shape)}").ToList();
        var shapes = DecoderWeights.ParameterShapes(config).Select(p => $"{p.Name} {SafetensorsTensorInfo.FormatShape(p.Shape)}").ToList();
        using var file = SafetensorsFile.Open(Path.Combine(_temp.Path, CheckpointFiles.Single));
        var keys = file.Tensors.Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, module);
        Assert.Equal(expected, shapes);
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys);
        Assert.Empty(model.named_buffers());
    }

    [Theory]
    [InlineData(BackboneArchitecture.Llama)]
    [InlineData(BackboneArchitecture.Qwen2)]
    public void Forward_RightPaddedBatch_EqualsTheOnnxGraphAndTheReference(BackboneArchitecture architecture)
    {
        var settings = architecture == BackboneArchitecture.Llama ? Llama : Qwen2;
        var config = RandomCheckpoint.Write(_temp.Path, settings).Decoder;
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        var weights = checkpoint.ReadWeightSet();
        using var model = DecoderModel.Load(_temp.Path);
        var sequences = Batch.Select(s => s.Select(t => t % config.VocabSize).ToArray()).ToArray();
        var (ids, mask) = Padded(sequences);

        var torchHidden = RunModel(model, ids, mask, sequences.Length);
        var onnxHidden = RunOnnx(config, weights, ids, mask, sequences.Length);

        var d = config.HiddenSize;
        var seq = ids.Length / sequences.Length;
        var onnxDiff = 0.0;
        var referenceDiff = 0.0;
        for (var b = 0; b < sequences.Length; b++)
        {
            var reference = ReferenceDecoder.Forward(config, weights, sequences[b]);
            for (var t = 0; t < sequences[b].Length; t++)
            {
                for (var c = 0; c < d; c++)
                {
                    var i = (((b * seq) + t) * d) + c;
                    onnxDiff = Math.Max(onnxDiff, Math.Abs(torchHidden[i] - onnxHidden[i]));
                    referenceDiff = Math.Max(referenceDiff, Math.Abs(torchHidden[i] - reference[t][c]));
                }
            }
        }

        output.WriteLine($"{architecture}: max |torch - onnx| = {onnxDiff:E2}, max |torch - reference| = {referenceDiff:E2} (real tokens of a right-padded batch)");
        Assert.True(onnxDiff <= OnnxTolerance, $"max abs diff to ONNX Runtime {onnxDiff:E2} > {OnnxTolerance:E0}");
        Assert.True(referenceDiff <= ReferenceTolerance, $"max abs diff to the reference {referenceDiff:E2} > {ReferenceTolerance:E0}");
        Assert.DoesNotContain(torchHidden, value => !float.IsFinite(value));
    }

    [Fact]
    public void Forward_PaddedRows_EqualTheOnnxGraphToo()
    {
        // The padded rows are meaningless, but both sides define them the same way (a padded query sees the real keys).
        var config = RandomCheckpoint.Write(_temp.Path, Llama).Decoder;
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        using var model = DecoderModel.Load(_temp.Path);
        var (ids, mask) = Padded(Batch);

        var torchHidden = RunModel(model, ids, mask, Batch.Length);
        var onnxHidden = RunOnnx(config, checkpoint.ReadWeightSet(), ids, mask, Batch.Length);

        var diff = torchHidden.Zip(onnxHidden, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"every row, padded ones included: max |torch - onnx| = {diff:E2}");
        Assert.True(diff <= OnnxTolerance, $"{diff:E2}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Logits_AreHiddenTimesTheLmHeadOrTheTiedEmbedding(bool tied)
    {
        var config = RandomCheckpoint.Write(_temp.Path, Llama with { TieWordEmbeddings = tied }).Decoder;
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        var head = checkpoint.ReadSingles(tied ? "model.embed_tokens.weight" : "lm_head.weight");
        using var model = DecoderModel.Load(_temp.Path);
        model.eval();
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 3, 1, 4, 1, 5 }, [1, 5]);
        using var mask = ones_like(ids);

        using var hidden = model.call(ids, mask);
        using var logits = model.Logits(hidden);

        Assert.Equal([1L, 5, config.VocabSize], logits.shape);
        var h = hidden.data<float>().ToArray();
        var actual = logits.data<float>().ToArray();
        var d = config.HiddenSize;
        var worst = 0.0;
        for (var t = 0; t < 5; t++)
        {
            for (var v = 0; v < config.VocabSize; v++)
            {
                var sum = 0.0;
                for (var c = 0; c < d; c++)
                {
                    sum += (double)h[(t * d) + c] * head[(v * d) + c];
                }

                worst = Math.Max(worst, Math.Abs(sum - actual[(t * config.VocabSize) + v]));
            }
        }

        Assert.True(worst <= LogitTolerance, $"max abs diff {worst:E2} > {LogitTolerance:E0}");
    }

    [Fact]
    public void Load_Bf16Checkpoint_ConvertsToTheRequestedDtype()
    {
        RandomCheckpoint.Write(_temp.Path, Llama with { Dtype = SafetensorsDtype.BF16 });
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        var stored = checkpoint.ReadSingles("model.layers.1.mlp.up_proj.weight");

        using var asFloat = DecoderModel.Load(_temp.Path);
        using var asBf16 = DecoderModel.Load(_temp.Path, new BackboneOptions { Dtype = ScalarType.BFloat16 });

        // bf16 -> fp32 is exact, so the fp32 model holds the stored values bit for bit.
        var fp32 = asFloat.BaseParameters()["model.layers.1.mlp.up_proj.weight"];
        Assert.Equal(ScalarType.Float32, fp32.dtype);
        Assert.Equal(stored, fp32.data<float>().ToArray());
        Assert.All(asBf16.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));

        var (ids, mask) = Padded(Batch);
        var full = RunModel(asFloat, ids, mask, Batch.Length);
        var half = RunModel(asBf16, ids, mask, Batch.Length);
        var diff = full.Zip(half, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"bf16 model against fp32 model on the same bf16 weights: max abs diff {diff:E2}");
        Assert.True(diff < 0.25, $"{diff}");
    }

    [Fact]
    public void Load_TensorMissing_FailsNamingIt()
    {
        RandomCheckpoint.Write(_temp.Path, Llama with { TieWordEmbeddings = true });
        EditConfig(c => c["tie_word_embeddings"] = false);

        var error = Assert.Throws<CheckpointException>(() => DecoderModel.Load(_temp.Path));

        Assert.Equal([$"{_temp.Path}: tensor 'lm_head.weight' is missing (looked in model.safetensors)"], error.Problems);
    }

    [Fact]
    public void Load_WrongShape_FailsNamingTensorAndBothShapes()
    {
        RandomCheckpoint.Write(_temp.Path, Llama);
        EditConfig(c => c["intermediate_size"] = 128);

        var error = Assert.Throws<CheckpointException>(() => DecoderModel.Load(_temp.Path));

        Assert.Contains($"{Path.Combine(_temp.Path, CheckpointFiles.Single)}: tensor 'model.layers.1.mlp.down_proj.weight' has shape [64, 96], config.json expects [64, 128]", error.Problems);
    }

    [Fact]
    public void Load_UnknownDtype_FailsNamingFileAndTensor()
    {
        // One shard per tensor, then model.norm.weight's shard replaced by the same tensor stored as int64.
        RandomCheckpoint.Write(_temp.Path, Llama with { ShardBytes = 1 });
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, CheckpointFiles.Index)))!;
        var shard = Path.Combine(_temp.Path, index["weight_map"]!["model.norm.weight"]!.GetValue<string>());
        File.WriteAllBytes(shard, SafetensorsBytes.File("""{"model.norm.weight":{"dtype":"I64","shape":[64],"data_offsets":[0,512]}}""", new byte[512]));

        var error = Assert.Throws<InvalidDataException>(() => DecoderModel.Load(_temp.Path));

        Assert.Equal($"{shard}: tensor 'model.norm.weight': dtype 'I64' is not supported (F32, F16 or BF16)", error.Message);
    }

    [Fact]
    public void Forward_LongerThanMaxPositions_Throws()
    {
        var config = RandomCheckpoint.Write(_temp.Path, Llama with { MaxPositionEmbeddings = 4 }).Decoder;
        using var model = DecoderModel.Load(_temp.Path);
        using var ids = zeros(1, 5, dtype: ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => model.call(ids, ones_like(ids)));

        Assert.Contains("more than max_position_embeddings 4", error.Message);
        Assert.Equal(4, config.MaxPositionEmbeddings);
    }

    /// <summary>Right-pads with id 0 to the longest sequence; mask 1 for real tokens.</summary>
    internal static (long[] Ids, long[] Mask) Padded(long[][] sequences)
    {
        var seq = sequences.Max(s => s.Length);
        var ids = new long[sequences.Length * seq];
        var mask = new long[ids.Length];
        for (var b = 0; b < sequences.Length; b++)
        {
            sequences[b].CopyTo(ids, b * seq);
            Array.Fill(mask, 1L, b * seq, sequences[b].Length);
        }

        return (ids, mask);
    }

    internal static float[] RunModel(BackboneModel model, long[] ids, long[] mask, int batch)
    {
        model.eval();
        using var noGrad = no_grad();
        using var idsTensor = tensor(ids, [batch, ids.Length / batch]);
        using var maskTensor = tensor(mask, [batch, ids.Length / batch]);
        using var hidden = model.call(idsTensor, maskTensor);
        using var asFloat = hidden.to(ScalarType.Float32);
        return asFloat.data<float>().ToArray();
    }

    private float[] RunOnnx(BackboneConfig config, WeightSet weights, long[] ids, long[] mask, int batch)
    {
        var graph = new OnnxGraphBuilder("decoder");
        var idsInput = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var maskInput = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        graph.Output(DecoderGraph.AddBackbone(graph, config, weights, idsInput, maskInput), OnnxElementType.Float, "batch", "seq", config.HiddenSize);
        using var runner = new GraphRunner(graph, _temp.Path);
        long[] shape = [batch, ids.Length / batch];
        return runner.Run([("input_ids", ids, shape), ("attention_mask", mask, shape)], DecoderGraph.LastHiddenState)[0];
    }

    private void EditConfig(Action<JsonObject> edit)
    {
        var path = Path.Combine(_temp.Path, CheckpointFiles.Config);
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
