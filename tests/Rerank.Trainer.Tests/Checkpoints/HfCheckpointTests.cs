using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Rerank.Trainer.Tests.Checkpoints;

public sealed class HfCheckpointTests : IDisposable
{
    private static readonly RandomCheckpointSettings Tiny = new() { Layers = 2, Hidden = 16, Heads = 4, KeyValueHeads = 2, Intermediate = 24, Seed = 7 };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(BackboneArchitecture.Llama, false)]
    [InlineData(BackboneArchitecture.Qwen2, true)]
    public void InitThenOpen_Float32_GivesSrcModelsRandomWeightsBitForBit(BackboneArchitecture architecture, bool tied)
    {
        var config = RandomCheckpoint.Write(_temp.Path, Tiny with { Architecture = architecture, TieWordEmbeddings = tied });

        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        var loaded = checkpoint.ReadWeightSet();

        // The ONNX side's own weights for the same config and seed: one list of names and shapes, one stream of values.
        var expected = DecoderWeights.CreateRandom(config.Decoder, Tiny.Seed);
        Assert.Equal(expected.Names.Order(StringComparer.Ordinal), loaded.Names.Order(StringComparer.Ordinal));
        foreach (var tensor in expected.Tensors)
        {
            var actual = loaded.Get(tensor.Name, tensor.Shape);
            Assert.Equal(tensor.Values, actual.Values);
        }

        Assert.Equal(tied, !loaded.Contains("lm_head.weight"));
        Assert.Equal(architecture == BackboneArchitecture.Qwen2, loaded.Contains("model.layers.0.self_attn.q_proj.bias"));
        Assert.Empty(checkpoint.UnusedTensors);
    }

    [Theory]
    [InlineData(nameof(SafetensorsDtype.BF16), 1.0 / 256)]
    [InlineData(nameof(SafetensorsDtype.F16), 1.0 / 2048)]
    public void InitThenOpen_HalfPrecision_IsTheFloat32ValuesRoundedOnce(string dtypeName, double relative)
    {
        var dtype = Enum.Parse<SafetensorsDtype>(dtypeName);
        var config = RandomCheckpoint.Write(_temp.Path, Tiny with { Dtype = dtype });

        using var checkpoint = HfCheckpoint.Open(_temp.Path);

        Assert.Equal(dtype, checkpoint.Config.TorchDtype);
        Assert.Equal(dtype, checkpoint.Find("model.norm.weight").Info.Dtype);
        foreach (var tensor in DecoderWeights.CreateRandom(config.Decoder, Tiny.Seed).Tensors)
        {
            var actual = checkpoint.ReadSingles(tensor.Name);
            for (var i = 0; i < actual.Length; i++)
            {
                // Round to nearest: within half a unit in the last place (8 bits of bf16, 11 of f16).
                Assert.True(Math.Abs(actual[i] - tensor.Values[i]) <= (relative * Math.Abs(tensor.Values[i])) + 1e-7, $"{tensor.Name}[{i}]");
            }
        }
    }

    [Fact]
    public void InitSharded_LoadsTheSameTensorsAsOneFile()
    {
        var single = Path.Combine(_temp.Path, "single");
        var sharded = Path.Combine(_temp.Path, "sharded");
        RandomCheckpoint.Write(single, Tiny);
        RandomCheckpoint.Write(sharded, Tiny with { ShardBytes = 4096 });

        using var one = HfCheckpoint.Open(single);
        using var many = HfCheckpoint.Open(sharded);

        Assert.Single(one.Files);
        Assert.True(many.Files.Count > 2);
        Assert.Equal(Path.Combine(sharded, "model-00001-of-" + many.Files.Count.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".safetensors"), many.Files[0].Path);
        Assert.False(File.Exists(Path.Combine(sharded, CheckpointFiles.Single)));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(sharded, CheckpointFiles.Index)))!;
        Assert.Equal(one.Parameters.Sum(p => p.Shape.Aggregate(4L, (a, d) => a * d)), index["metadata"]!["total_size"]!.GetValue<long>());
        foreach (var (name, _) in one.Parameters)
        {
            Assert.Equal(one.ReadSingles(name), many.ReadSingles(name));
        }

        // Every shard stays within the size unless one tensor alone exceeds it.
        Assert.All(many.Files, f => Assert.True(f.Tensors.Count == 1 || f.Tensors.Sum(t => t.ByteLength) <= 4096, f.Path));
    }

    [Fact]
    public void Write_UnshardedOverSharded_RemovesTheOldShards()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny with { ShardBytes = 4096 });
        RandomCheckpoint.Write(_temp.Path, Tiny);

        Assert.Equal([CheckpointFiles.Single], Directory.EnumerateFiles(_temp.Path, "*.safetensors").Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(_temp.Path, CheckpointFiles.Index)));
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
    }

    [Fact]
    public void InitTwice_SameSeed_GivesIdenticalBytes()
    {
        RandomCheckpoint.Write(Path.Combine(_temp.Path, "a"), Tiny with { Dtype = SafetensorsDtype.BF16 });
        RandomCheckpoint.Write(Path.Combine(_temp.Path, "b"), Tiny with { Dtype = SafetensorsDtype.BF16 });

        foreach (var file in new[] { CheckpointFiles.Single, CheckpointFiles.Config, "vocab.txt", "tokenizer_config.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_temp.Path, "a", file)), File.ReadAllBytes(Path.Combine(_temp.Path, "b", file)));
        }
    }

    [Theory]
    [InlineData(nameof(SafetensorsDtype.F32))]
    [InlineData(nameof(SafetensorsDtype.BF16))]
    public void ReadTensorAndReadInto_InPieces_MatchReadSingles(string dtypeName)
    {
        var dtype = Enum.Parse<SafetensorsDtype>(dtypeName);
        RandomCheckpoint.Write(_temp.Path, Tiny with { Dtype = dtype });
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        const string Name = "model.layers.1.mlp.down_proj.weight"; // [16, 24]
        var expected = checkpoint.ReadSingles(Name);

        using var read = checkpoint.ReadTensor(Name, ScalarType.Float32);
        using var sameDtype = empty([16, 24], dtype.ToScalarType());
        checkpoint.ReadInto(Name, sameDtype, chunkBytes: 40); // 40 bytes: many pieces, the last one short
        using var converted = zeros(16, 24, requires_grad: true); // a parameter-like destination in another dtype
        checkpoint.ReadInto(Name, converted, chunkBytes: 40);

        Assert.Equal([16L, 24L], read.shape);
        Assert.Equal(expected, read.data<float>().ToArray());
        using (var asFloat = sameDtype.to(ScalarType.Float32))
        {
            Assert.Equal(expected, asFloat.data<float>().ToArray());
        }

        Assert.Equal(expected, converted.detach().data<float>().ToArray());
        Assert.Null(converted.grad);
    }

    [Fact]
    public void ReadInto_WrongShape_NamesFileAndTensor()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny);
        using var checkpoint = HfCheckpoint.Open(_temp.Path);
        using var destination = zeros(16, 16);

        var error = Assert.Throws<InvalidDataException>(() => checkpoint.ReadInto("model.layers.0.mlp.up_proj.weight", destination));

        Assert.Equal($"{Path.Combine(_temp.Path, CheckpointFiles.Single)}: tensor 'model.layers.0.mlp.up_proj.weight' has shape [24, 16], the destination [16, 16]", error.Message);
    }

    [Fact]
    public void Open_ConfigDisagreesWithTheWeights_ListsEveryWrongShape()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny);
        EditConfig(c => c["intermediate_size"] = 32);

        var error = Assert.Throws<CheckpointException>(() => HfCheckpoint.Open(_temp.Path));

        var file = Path.Combine(_temp.Path, CheckpointFiles.Single);
        Assert.Equal(6, error.Problems.Count);
        Assert.Equal($"{file}: tensor 'model.layers.0.mlp.gate_proj.weight' has shape [24, 16], config.json expects [32, 16]", error.Problems[0]);
        Assert.Equal($"{file}: tensor 'model.layers.0.mlp.down_proj.weight' has shape [16, 24], config.json expects [16, 32]", error.Problems[2]);
    }

    [Fact]
    public void Open_TensorMissing_NamesTensorAndFile()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny with { TieWordEmbeddings = true });
        EditConfig(c => c["tie_word_embeddings"] = false);

        var error = Assert.Throws<CheckpointException>(() => HfCheckpoint.Open(_temp.Path));

        Assert.Equal([$"{_temp.Path}: tensor 'lm_head.weight' is missing (looked in model.safetensors)"], error.Problems);
    }

    [Fact]
    public void Open_ShardMissingAndIndexWrong_ListsBoth()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny with { ShardBytes = 4096 });
        var indexPath = Path.Combine(_temp.Path, CheckpointFiles.Index);
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        var map = index["weight_map"]!.AsObject();
        var lastShard = map["model.norm.weight"]!.GetValue<string>();
        var firstShard = map["model.embed_tokens.weight"]!.GetValue<string>();
        map["model.layers.0.self_attn.q_proj.weight"] = firstShard == lastShard ? "x" : lastShard; // points at a shard that lacks it
        File.WriteAllText(indexPath, index.ToJsonString());
        var lastShardTensors = map.Where(p => p.Value!.GetValue<string>() == lastShard).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        File.Delete(Path.Combine(_temp.Path, firstShard));

        var error = Assert.Throws<CheckpointException>(() => HfCheckpoint.Open(_temp.Path));

        var firstShardTensors = map.Where(p => p.Value!.GetValue<string>() == firstShard).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            $"{indexPath}: shard '{firstShard}' is not there (it holds '{firstShardTensors[0]}'{(firstShardTensors.Count > 1 ? $" and {firstShardTensors.Count - 1} more" : "")})",
            $"{Path.Combine(_temp.Path, lastShard)}: tensor 'model.layers.0.self_attn.q_proj.weight' is not in the file, though model.safetensors.index.json places it there",
        ], error.Problems);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", lastShardTensors);
    }

    [Fact]
    public void Open_NoWeights_SaysWhatItLookedFor()
    {
        RandomCheckpoint.Write(_temp.Path, Tiny);
        File.Delete(Path.Combine(_temp.Path, CheckpointFiles.Single));

        var error = Assert.Throws<CheckpointException>(() => HfCheckpoint.Open(_temp.Path));

        Assert.Equal([$"{_temp.Path}: neither model.safetensors nor model.safetensors.index.json is there (PyTorch .bin checkpoints are not read; convert them to safetensors)"], error.Problems);
    }

    [Fact]
    public void Open_ExtraTensor_IsListedAsUnused()
    {
        var config = RandomCheckpoint.Write(_temp.Path, Tiny);
        var tensors = DecoderWeights.CreateRandom(config.Decoder, 1).Tensors
            .Select(t => SafetensorsWriteEntry.FromSingles(t.Name, SafetensorsDtype.F32, t.Shape, t.Values))
            .Append(SafetensorsWriteEntry.FromSingles("model.layers.0.self_attn.rotary_emb.inv_freq", SafetensorsDtype.F32, [2], [1f, 0.01f]))
            .ToList();
        SafetensorsWriter.Write(Path.Combine(_temp.Path, CheckpointFiles.Single), tensors);

        using var checkpoint = HfCheckpoint.Open(_temp.Path);

        Assert.Equal(["model.layers.0.self_attn.rotary_emb.inv_freq"], checkpoint.UnusedTensors);
    }

    private void EditConfig(Action<JsonObject> edit)
    {
        var path = Path.Combine(_temp.Path, CheckpointFiles.Config);
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
