using System.Text.Json;
using Rerank.Model.Architecture;
using Rerank.TestUtilities;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;

namespace Rerank.Trainer.Tests.Checkpoints;

public sealed class HfModelConfigTests : IDisposable
{
    // Llama-2-7b-hf's config.json, as published.
    private const string Llama2Config = """
        {
          "architectures": ["LlamaForCausalLM"],
          "bos_token_id": 1,
          "eos_token_id": 2,
          "hidden_act": "silu",
          "hidden_size": 4096,
          "initializer_range": 0.02,
          "intermediate_size": 11008,
          "max_position_embeddings": 4096,
          "model_type": "llama",
          "num_attention_heads": 32,
          "num_hidden_layers": 32,
          "num_key_value_heads": 32,
          "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_scaling": null,
          "tie_word_embeddings": false,
          "torch_dtype": "float16",
          "transformers_version": "4.31.0.dev0",
          "use_cache": true,
          "vocab_size": 32000
        }
        """;

    // Qwen2-0.5B's config.json, as published.
    private const string Qwen2Config = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151643,
          "hidden_act": "silu",
          "hidden_size": 896,
          "initializer_range": 0.02,
          "intermediate_size": 4864,
          "max_position_embeddings": 131072,
          "max_window_layers": 24,
          "model_type": "qwen2",
          "num_attention_heads": 14,
          "num_hidden_layers": 24,
          "num_key_value_heads": 2,
          "rms_norm_eps": 1e-06,
          "rope_theta": 1000000.0,
          "sliding_window": 131072,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.40.1",
          "use_cache": true,
          "use_sliding_window": false,
          "vocab_size": 151936
        }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_Llama2_MapsEveryFieldAndDefaultsRopeTheta()
    {
        var config = HfModelConfig.Read(_temp.WriteFile("config.json", Llama2Config));

        Assert.Equal(new BackboneConfig
        {
            Architecture = BackboneArchitecture.Llama,
            VocabSize = 32000,
            HiddenSize = 4096,
            IntermediateSize = 11008,
            NumLayers = 32,
            NumHeads = 32,
            NumKeyValueHeads = 32,
            RmsNormEps = 1e-5,
            RopeTheta = 10_000,
            MaxPositionEmbeddings = 4096,
            TieWordEmbeddings = false,
        }, config.Decoder);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal([2], config.EosTokenIds);
        Assert.Null(config.PadTokenId);
        Assert.Equal(SafetensorsDtype.F16, config.TorchDtype);
    }

    [Fact]
    public void Read_Qwen2_MapsGqaTiedEmbeddingsAndRopeTheta()
    {
        var config = HfModelConfig.Read(_temp.WriteFile("config.json", Qwen2Config));

        Assert.Equal(BackboneArchitecture.Qwen2, config.Decoder.Architecture);
        Assert.Equal(2, config.Decoder.NumKeyValueHeads);
        Assert.Equal(64, config.Decoder.HeadDim);
        Assert.Equal(1_000_000, config.Decoder.RopeTheta);
        Assert.True(config.Decoder.TieWordEmbeddings);
        Assert.Equal(131072, config.Decoder.MaxPositionEmbeddings);
        Assert.Equal(SafetensorsDtype.BF16, config.TorchDtype);
    }

    [Fact]
    public void Read_EosList_KeepsEveryId()
    {
        var text = Llama2Config.Replace("\"eos_token_id\": 2", "\"eos_token_id\": [128001, 128009]", StringComparison.Ordinal);

        var config = HfModelConfig.Read(_temp.WriteFile("config.json", text));

        Assert.Equal([128001, 128009], config.EosTokenIds);
    }

    [Fact]
    public void Read_UnsupportedAndMissingKeys_ListsEveryProblemWithTheFile()
    {
        var text = Llama2Config
            .Replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}", StringComparison.Ordinal)
            .Replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", StringComparison.Ordinal)
            .Replace("\"vocab_size\": 32000", "\"attention_bias\": true", StringComparison.Ordinal);
        var path = _temp.WriteFile("config.json", text);

        var error = Assert.Throws<CheckpointException>(() => HfModelConfig.Read(path));

        Assert.Equal(
        [
            $"{path}: vocab_size is missing",
            $"{path}: rope_scaling is not supported (linear, dynamic, yarn and llama3 scaling are not implemented); it must be null or absent",
            $"{path}: hidden_act 'gelu' is not supported (silu)",
            $"{path}: attention_bias true is not supported",
        ], error.Problems);
    }

    [Theory]
    [InlineData("\"model_type\": \"llama\"", "\"model_type\": \"mistral\"", "model_type 'mistral' is not supported (llama, qwen2, bert)")]
    [InlineData("\"num_key_value_heads\": 32", "\"num_key_value_heads\": 5", "num_attention_heads 32 is not a multiple of num_key_value_heads 5.")]
    [InlineData("\"hidden_size\": 4096", "\"hidden_size\": 40.5", "hidden_size must be an integer (is 40.5)")]
    [InlineData("\"torch_dtype\": \"float16\"", "\"torch_dtype\": \"int8\"", "torch_dtype 'int8' is not supported (float32, float16, bfloat16)")]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"]", "\"architectures\": [\"Qwen2ForCausalLM\"]", "model_type 'llama' does not match architectures[0] 'Qwen2ForCausalLM'")]
    public void Read_BadValue_NamesTheKey(string from, string to, string expected)
    {
        var path = _temp.WriteFile("config.json", Llama2Config.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<CheckpointException>(() => HfModelConfig.Read(path));

        Assert.Equal([$"{path}: {expected}"], error.Problems);
    }

    [Fact]
    public void Read_NotJson_NamesTheFile()
    {
        var path = _temp.WriteFile("config.json", "{\"hidden_size\": ");

        var error = Assert.Throws<CheckpointException>(() => HfModelConfig.Read(path));

        Assert.StartsWith($"{path}: not valid JSON: ", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Qwen2_IsTransformersLayoutAndReadsBack()
    {
        var original = HfModelConfig.Read(_temp.WriteFile("config.json", Qwen2Config));
        var path = Path.Combine(_temp.Path, "out.json");

        original.Write(path);

        var text = File.ReadAllText(path);
        Assert.StartsWith("{\n  \"architectures\": [\n    \"Qwen2ForCausalLM\"\n  ],\n", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal("qwen2", json.RootElement.GetProperty("model_type").GetString());
        Assert.Equal(896, json.RootElement.GetProperty("hidden_size").GetInt32());
        Assert.Equal("bfloat16", json.RootElement.GetProperty("torch_dtype").GetString());
        Assert.False(json.RootElement.GetProperty("use_sliding_window").GetBoolean());
        Assert.Equal(original, HfModelConfig.Read(path) with { EosTokenIds = original.EosTokenIds });
        Assert.Equal(original.EosTokenIds, HfModelConfig.Read(path).EosTokenIds);
    }
}
