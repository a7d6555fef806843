using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Tests.Backbones;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Lora;

public sealed class LoraAdapterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly RandomCheckpointSettings Llama = new()
    {
        Architecture = BackboneArchitecture.Llama, Layers = 2, Hidden = 64, Heads = 4, KeyValueHeads = 2, Intermediate = 96, MaxPositionEmbeddings = 64, Seed = 31,
    };

    // Qwen2 with its q/k/v biases (frozen like the weights) and tied embeddings.
    private static readonly RandomCheckpointSettings Qwen2 = Llama with
    {
        Architecture = BackboneArchitecture.Qwen2, Heads = 8, Intermediate = 112, TieWordEmbeddings = true, Seed = 32,
    };

    private static readonly long[][] Batch = [[5, 9, 14, 2, 33, 21, 40], [7, 19, 4], [12, 48, 6, 27, 3]];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Attach_Defaults_AdaptsEveryLinearOfEveryBlockAndKeepsTheBaseNames()
    {
        using var model = LoadModel();

        var adapter = LoraAdapter.Attach(model, new LoraOptions());

        string[] perLayer = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];
        string[] expected = [.. new[] { 0, 1 }.SelectMany(i => perLayer.Select(m => $"model.layers.{i}.{m}"))];
        Assert.Equal(expected, adapter.ModuleNames);
        Assert.Equal(expected.SelectMany(m => new[] { m + ".lora_A.weight", m + ".lora_B.weight" }), adapter.Parameters.Select(p => p.Name));
        Assert.Equal(DecoderWeights.ParameterShapes(model.Config).Select(p => p.Name), model.BaseParameters().Keys);
        Assert.Equal(
            model.named_parameters().Select(p => p.name).Where(DecoderModel.IsAdapterParameter).Order(StringComparer.Ordinal),
            adapter.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(model.BaseParameters().Values, p => Assert.False(p.requires_grad));
        Assert.All(adapter.Parameters, p => Assert.True(p.Parameter.requires_grad));
        Assert.Equal(1.0, adapter.Options.Scaling);
    }

    [Fact]
    public void Attach_NewAdapter_IsKaimingUniformAAndZeroBAndLeavesTheOutputUnchanged()
    {
        using var model = LoadModel();
        var (ids, mask) = DecoderModelTests.Padded(Batch);
        var before = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);

        var adapter = LoraAdapter.Attach(model, new LoraOptions { Rank = 4, Alpha = 16 });

        var after = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);
        Assert.Equal(before, after);
        var (_, qA) = adapter.Parameters.Single(p => p.Name == "model.layers.0.self_attn.q_proj.lora_A.weight");
        var (_, downA) = adapter.Parameters.Single(p => p.Name == "model.layers.1.mlp.down_proj.lora_A.weight");
        Assert.Equal([4L, 64], qA.shape);
        Assert.Equal([4L, 96], downA.shape);

        // PEFT: kaiming_uniform_(a = sqrt(5)) has bound gain * sqrt(3 / fan_in) with gain sqrt(2 / (1 + 5)), i.e. 1 / sqrt(fan_in).
        var qValues = qA.data<float>().ToArray();
        Assert.All(qValues, v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(64)));
        Assert.True(qValues.Max(Math.Abs) > 0.8 / Math.Sqrt(64), "the values should spread over the whole range");
        Assert.All(downA.data<float>().ToArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(96)));
        Assert.All(adapter.Parameters.Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)), p => Assert.All(p.Parameter.data<float>().ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(4.0, adapter.Options.Scaling);
    }

    [Theory]
    [InlineData(BackboneArchitecture.Llama)]
    [InlineData(BackboneArchitecture.Qwen2)]
    public void Train20AdamWSteps_ToyObjective_LossFallsAndOnlyAdaptersChange_ThenMergeSaveAndLoadReproduceIt(BackboneArchitecture architecture)
    {
        var settings = architecture == BackboneArchitecture.Qwen2 ? Qwen2 : Llama;
        using var model = LoadModel(settings);
        var adapter = LoraAdapter.Attach(model, new LoraOptions { Seed = 5 });
        var (idsValues, maskValues) = DecoderModelTests.Padded(Batch);
        long[] shape = [Batch.Length, idsValues.Length / Batch.Length];
        using var ids = tensor(idsValues, shape);
        using var mask = tensor(maskValues, shape);
        using var realRows = mask.to(ScalarType.Float32).unsqueeze(-1);
        using var target = randn([Batch.Length, shape[1], model.Config.HiddenSize], generator: new Generator(7, CPU));
        var baseBefore = model.BaseParameters().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());
        var adaptersBefore = adapter.Parameters.ToDictionary(p => p.Name, p => p.Parameter.data<float>().ToArray());

        // Toy objective: the last hidden state of a fixed batch should become a fixed target (real rows only).
        double Loss()
        {
            model.eval();
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            return Mse(model.call(ids, mask), target, realRows).item<float>();
        }

        var initial = Loss();
        manual_seed(11); // dropout draws from the global generator (tests running in parallel may share it)
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Mse(model.call(ids, mask), target, realRows).backward();
            optimizer.step();
        }

        var final = Loss();
        output.WriteLine($"{architecture} toy objective: loss {initial:F5} -> {final:F5} after 20 AdamW steps (lr 1e-2, r 8, alpha 8, dropout 0.05)");
        Assert.True(final < 0.95 * initial, $"loss {initial} -> {final} should fall");
        foreach (var (name, parameter) in model.BaseParameters())
        {
            Assert.True(baseBefore[name].AsSpan().SequenceEqual(parameter.data<float>().ToArray()), $"base parameter {name} changed");
            Assert.Null(parameter.grad);
        }

        foreach (var (name, parameter) in adapter.Parameters)
        {
            Assert.False(adaptersBefore[name].AsSpan().SequenceEqual(parameter.data<float>().ToArray()), $"adapter parameter {name} did not change");
        }

        // Merge: the same function with the updates folded into the base weights.
        var unmerged = DecoderModelTests.RunModel(model, idsValues, maskValues, Batch.Length);
        adapter.Merge();
        var merged = DecoderModelTests.RunModel(model, idsValues, maskValues, Batch.Length);
        adapter.Unmerge();
        var unmergedAgain = DecoderModelTests.RunModel(model, idsValues, maskValues, Batch.Length);
        var mergeDiff = MaxDiff(unmerged, merged);
        var unmergeDiff = MaxDiff(unmerged, unmergedAgain);
        output.WriteLine($"merged vs unmerged forward: max abs diff {mergeDiff:E2}; after unmerge {unmergeDiff:E2}");
        Assert.True(mergeDiff <= 1e-5, $"{mergeDiff:E2}");
        Assert.True(unmergeDiff <= 1e-5, $"{unmergeDiff:E2}");
        Assert.True(MaxDiff(unmerged, DecoderModelTests.RunModel(LoadModel(settings), idsValues, maskValues, Batch.Length)) > 1e-3, "training must have changed the output");

        // The merged weights, as export will use them, in src/Model's ONNX decoder graph.
        var onnx = RunOnnx(model.Config, adapter, idsValues, maskValues, Batch.Length);
        var onnxDiff = MaxDiff(unmerged, onnx);
        output.WriteLine($"ONNX graph on MergedWeights() vs unmerged TorchSharp forward: max abs diff {onnxDiff:E2}");
        Assert.True(onnxDiff <= 1e-4, $"{onnxDiff:E2}");

        // Save the adapters alone, load them into a fresh model: the same outputs.
        var saved = Path.Combine(_temp.Path, "adapter");
        adapter.Save(saved);
        using var fresh = LoadModel(settings);
        var loaded = LoraAdapter.Load(fresh, saved);
        var reloaded = DecoderModelTests.RunModel(fresh, idsValues, maskValues, Batch.Length);
        Assert.Equal(unmerged, reloaded);
        Assert.Equal(adapter.ModuleNames, loaded.ModuleNames);
        Assert.Equal((8, 8.0, 0.05, 1.0), (loaded.Options.Rank, loaded.Options.Alpha, loaded.Options.Dropout, loaded.Options.Scaling));
        Assert.Equal(LoraOptions.DefaultTargetModules.Order(StringComparer.Ordinal), loaded.Options.TargetModules);
    }

    [Fact]
    public void Save_WritesPeftKeysAndConfigAndNoBaseWeights()
    {
        using var model = LoadModel();
        var adapter = LoraAdapter.Attach(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["q_proj", "v_proj"] });

        adapter.Save(_temp.Path);

        using var file = SafetensorsFile.Open(Path.Combine(_temp.Path, "adapter_model.safetensors"));
        Assert.Equal(
            [
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight [4, 64]",
                "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight [64, 4]",
                "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight [4, 64]",
                "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight [32, 4]",
                "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight [4, 64]",
                "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight [64, 4]",
                "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight [4, 64]",
                "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight [32, 4]",
            ],
            file.Tensors.Select(t => $"{t.Name} {t.ShapeText}").Order(StringComparer.Ordinal));
        Assert.All(file.Tensors, t => Assert.Equal(SafetensorsDtype.F32, t.Dtype));
        Assert.Equal("pt", file.Metadata["format"]);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8.0, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0.1, config["lora_dropout"]!.GetValue<double>());
        Assert.Equal(["q_proj", "v_proj"], config["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("none", config["bias"]!.GetValue<string>());
        Assert.False(config["use_dora"]!.GetValue<bool>());
    }

    [Fact]
    public void Attach_TargetPattern_AdaptsOnlyTheModulesItMatchesEntirely()
    {
        using var model = LoadModel();

        var adapter = LoraAdapter.Attach(model, new LoraOptions { TargetPattern = @"model\.layers\.1\.self_attn\.(q|v)_proj" });

        Assert.Equal(["model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"], adapter.ModuleNames);
    }

    [Theory]
    [InlineData("lm_head")]
    [InlineData("embed_tokens")]
    [InlineData("qproj")]
    public void Attach_TargetMatchingNoBlockLinear_IsRefusedByName(string target)
    {
        using var model = LoadModel();

        var error = Assert.Throws<ArgumentException>(() => LoraAdapter.Attach(model, new LoraOptions { TargetModules = ["q_proj", target] }));

        Assert.Contains($"'{target}' match no linear layer", error.Message);
        Assert.DoesNotContain(model.modules(), m => m is LoraLinear);
    }

    [Fact]
    public void Attach_Twice_Throws()
    {
        using var model = LoadModel();
        LoraAdapter.Attach(model, new LoraOptions());

        Assert.Throws<InvalidOperationException>(() => LoraAdapter.Attach(model, new LoraOptions()));
    }

    [Fact]
    public void Load_ConfigWithOptionsWeDoNotReproduce_ListsEveryOne()
    {
        using var model = LoadModel();
        LoraAdapter.Attach(model, new LoraOptions()).Save(_temp.Path);
        var path = Path.Combine(_temp.Path, "adapter_config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["use_dora"] = true;
        config["bias"] = "all";
        config["modules_to_save"] = new JsonArray("score");
        config["r"] = 0;
        File.WriteAllText(path, config.ToJsonString());
        using var fresh = LoadModel();

        var error = Assert.Throws<CheckpointException>(() => LoraAdapter.Load(fresh, _temp.Path));

        Assert.Equal(
            [
                $"{path}: use_dora is true, which is not supported",
                $"{path}: bias is 'all'; only 'none' is supported (no trained biases)",
                $"{path}: modules_to_save is set, which is not supported",
                $"{path}: r must be at least 1 (is 0).",
            ],
            error.Problems);
    }

    [Fact]
    public void Load_WeightsWithAMissingTensorAndAWrongShape_ListsBoth()
    {
        using var model = LoadModel();
        LoraAdapter.Attach(model, new LoraOptions { TargetModules = ["q_proj"] }).Save(_temp.Path);
        var weights = Path.Combine(_temp.Path, "adapter_model.safetensors");
        using (var file = SafetensorsFile.Open(weights))
        {
            var kept = file.Tensors.Where(t => t.Name != "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight")
                .Select(t => t.Name == "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"
                    ? SafetensorsWriteEntry.FromSingles(t.Name, SafetensorsDtype.F32, [2, 64], new float[128])
                    : SafetensorsWriteEntry.FromSingles(t.Name, SafetensorsDtype.F32, t.Shape, file.ReadSingles(t.Name)))
                .ToList();
            file.Dispose();
            SafetensorsWriter.Write(weights, kept);
        }

        using var fresh = LoadModel();

        var error = Assert.Throws<CheckpointException>(() => LoraAdapter.Load(fresh, _temp.Path));

        Assert.Equal(
            [
                $"{weights}: tensor 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight' has shape [2, 64], adapter_config.json (r = 8) and the model expect [8, 64]",
                $"{weights}: tensor 'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight' is missing",
            ],
            error.Problems);
    }

    private DecoderModel LoadModel(RandomCheckpointSettings? settings = null)
    {
        settings ??= Llama;
        var directory = Path.Combine(_temp.Path, "base-" + settings.Architecture);
        if (!Directory.Exists(directory))
        {
            RandomCheckpoint.Write(directory, settings);
        }

        return DecoderModel.Load(directory);
    }

    private static Tensor Mse(Tensor hidden, Tensor target, Tensor realRows)
    {
        var squared = (hidden - target).pow(2) * realRows;
        return squared.sum() / (realRows.sum() * hidden.shape[2]);
    }

    private float[] RunOnnx(BackboneConfig config, LoraAdapter adapter, long[] ids, long[] mask, int batch)
    {
        var graph = new OnnxGraphBuilder("decoder");
        var idsInput = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var maskInput = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        graph.Output(DecoderGraph.AddBackbone(graph, config, adapter.MergedWeights(), idsInput, maskInput), OnnxElementType.Float, "batch", "seq", config.HiddenSize);
        using var runner = new GraphRunner(graph, _temp.Path);
        long[] shape = [batch, ids.Length / batch];
        return runner.Run([("input_ids", ids, shape), ("attention_mask", mask, shape)], DecoderGraph.LastHiddenState)[0];
    }

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();
}
