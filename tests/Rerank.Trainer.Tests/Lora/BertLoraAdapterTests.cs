using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.TestUtilities;
using Rerank.Trainer.Backbones;
using Rerank.Trainer.Lora;
using Rerank.Trainer.Tests.Backbones;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Lora;

/// <summary>LoRA on the BERT backbone, under the module names PEFT uses for transformers' BertModel.</summary>
public sealed class BertLoraAdapterTests : IDisposable
{
    private static readonly long[][] Batch = [[2, 9, 14, 40, 33, 21, 3], [2, 19, 3], [2, 48, 6, 27, 3]];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Attach_Defaults_AdaptsQueryAndValueOfEveryLayerAsPeftAndLeavesTheOutputUnchanged()
    {
        using var model = Model(seed: 51);
        var (ids, mask) = DecoderModelTests.Padded(Batch);
        var before = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);

        var adapter = LoraAdapter.Attach(model, new LoraOptions { Rank = 4, Alpha = 8 });

        // PEFT's TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING["bert"] is ["query", "value"].
        Assert.Equal(["query", "value"], adapter.Options.TargetModules);
        Assert.Equal(
            ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.value", "encoder.layer.1.attention.self.query", "encoder.layer.1.attention.self.value"],
            adapter.ModuleNames);
        Assert.Equal(DecoderModelTests.RunModel(model, ids, mask, Batch.Length), before);
        Assert.Equal(BertWeights.ParameterShapes(model.Config).Select(p => p.Name), model.BaseParameters().Keys);
        Assert.All(model.BaseParameters().Values, p => Assert.False(p.requires_grad));
        Assert.All(adapter.Parameters, p => Assert.True(p.Parameter.requires_grad));
        Assert.Equal([4L, 32], adapter.Parameters.Single(p => p.Name == "encoder.layer.1.attention.self.value.lora_A.weight").Parameter.shape);
    }

    [Fact]
    public void Attach_KeyAndDenseByName_AdaptsKeyAndAllThreeDenseLayersOfEachLayer()
    {
        using var model = Model(seed: 52);

        var adapter = LoraAdapter.Attach(model, new LoraOptions { TargetModules = ["key", "dense"] });

        string[] perLayer = ["attention.self.key", "attention.output.dense", "intermediate.dense", "output.dense"];
        Assert.Equal([.. new[] { 0, 1 }.SelectMany(i => perLayer.Select(m => $"encoder.layer.{i}.{m}"))], adapter.ModuleNames);
        Assert.Equal([8L, 48], adapter.Parameters.Single(p => p.Name == "encoder.layer.0.output.dense.lora_A.weight").Parameter.shape);
        Assert.Equal([48L, 8], adapter.Parameters.Single(p => p.Name == "encoder.layer.0.intermediate.dense.lora_B.weight").Parameter.shape);
    }

    [Theory]
    [InlineData("q_proj")]
    [InlineData("word_embeddings")]
    public void Attach_TargetBertDoesNotHave_IsRefusedNamingItAndTheAdaptableNames(string target)
    {
        using var model = Model(seed: 53);

        var error = Assert.Throws<ArgumentException>(() => LoraAdapter.Attach(model, new LoraOptions { TargetModules = ["query", target] }));

        Assert.Contains($"LoRA target_modules '{target}' match no linear layer of the bert encoder layers (adaptable: query, key, value, dense; embeddings and the pooler are not)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(model.modules(), m => m is LoraLinear);
    }

    [Fact]
    public void SaveLoadAndMerge_TrainedLikeAdapter_WritePeftNamesAndReproduceTheOutputs()
    {
        using var model = Model(seed: 54);
        var adapter = LoraAdapter.Attach(model, new LoraOptions { Rank = 2, Alpha = 4, Dropout = 0 });
        using (no_grad())
        {
            var generator = new Generator(3, CPU);
            foreach (var (name, parameter) in adapter.Parameters.Where(p => p.Name.Contains("lora_B", StringComparison.Ordinal)))
            {
                parameter.copy_(randn(parameter.shape, generator: generator) * 0.5);
            }
        }

        var (ids, mask) = DecoderModelTests.Padded(Batch);
        var adapted = DecoderModelTests.RunModel(model, ids, mask, Batch.Length);
        adapter.Save(_temp.Path);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Path, "adapter_config.json")))!;
        Assert.Equal(["query", "value"], config["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("FEATURE_EXTRACTION", config["task_type"]!.GetValue<string>());
        using (var file = SafetensorsFile.Open(Path.Combine(_temp.Path, "adapter_model.safetensors")))
        {
            Assert.Contains("base_model.model.encoder.layer.1.attention.self.value.lora_B.weight", file.Tensors.Select(t => t.Name));
            Assert.Equal(8, file.Tensors.Count);
        }

        using var reloaded = Model(seed: 54);
        var loaded = LoraAdapter.Load(reloaded, _temp.Path);
        Assert.Equal(adapted, DecoderModelTests.RunModel(reloaded, ids, mask, Batch.Length));
        using var unadapted = Model(seed: 54);
        Assert.True(MaxDiff(adapted, DecoderModelTests.RunModel(unadapted, ids, mask, Batch.Length)) > 1e-3, "the adapter must change the states");

        // MergedWeights: W + (alpha / r) B A for the adapted matrices, computed here by hand; others as they are.
        var merged = loaded.MergedWeights();
        var weight = TinyBert.Weights(model.Config, 54).Get("encoder.layer.0.attention.self.query.weight", 32, 32).Values;
        var a = loaded.Parameters.Single(p => p.Name == "encoder.layer.0.attention.self.query.lora_A.weight").Parameter.data<float>().ToArray();
        var b = loaded.Parameters.Single(p => p.Name == "encoder.layer.0.attention.self.query.lora_B.weight").Parameter.data<float>().ToArray();
        var byHand = new double[32 * 32];
        for (var o = 0; o < 32; o++)
        {
            for (var i = 0; i < 32; i++)
            {
                byHand[(o * 32) + i] = weight[(o * 32) + i] + (2.0 * ((b[o * 2] * a[i]) + (b[(o * 2) + 1] * a[32 + i])));
            }
        }

        var mergedQuery = merged.Get("encoder.layer.0.attention.self.query.weight", 32, 32).Values;
        Assert.True(byHand.Zip(mergedQuery, (x, y) => Math.Abs(x - y)).Max() < 1e-5);
        Assert.Equal(TinyBert.Weights(model.Config, 54).Get("encoder.layer.0.attention.self.key.weight", 32, 32).Values, merged.Get("encoder.layer.0.attention.self.key.weight", 32, 32).Values);

        // Merged into a plain BertModel, the weights give the adapted outputs.
        using var plain = BertModel.Create(model.Config, merged);
        Assert.True(MaxDiff(adapted, DecoderModelTests.RunModel(plain, ids, mask, Batch.Length)) < 1e-5);
    }

    private static BertModel Model(int seed)
    {
        var config = TinyBert.Config();
        return BertModel.Create(config, TinyBert.Weights(config, seed));
    }

    private static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
