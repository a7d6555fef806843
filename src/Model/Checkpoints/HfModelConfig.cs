using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Architecture;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// A Hugging Face <c>config.json</c> of a <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> or <c>BertModel</c>: the shape as
/// src/Model's <see cref="BackboneConfig"/> (so the trainer and the ONNX graphs agree on every name and shape) plus the
/// fields a checkpoint adds: special token ids and the stored dtype.
/// </summary>
/// <remarks>
/// Reading follows transformers' defaults where a key is absent (<c>num_key_value_heads</c> = heads,
/// <c>rms_norm_eps</c> 1e-6, <c>rope_theta</c> 10,000, <c>max_position_embeddings</c> 2048 for LLaMA and 32,768 for
/// Qwen2, untied embeddings) and refuses, by key, what the backbone does not implement: <c>rope_scaling</c>, a
/// <c>head_dim</c> other than hidden / heads, <c>hidden_act</c> other than silu, LLaMA's <c>attention_bias</c> or
/// <c>mlp_bias</c>, Qwen2's <c>use_sliding_window</c>. BERT: <c>type_vocab_size</c> 2, <c>layer_norm_eps</c> 1e-12,
/// <c>max_position_embeddings</c> 512 by default; <c>hidden_act</c> must be <c>gelu</c> (exact) and
/// <c>position_embedding_type</c> <c>absolute</c>. Writing uses transformers' layout: keys sorted, two-space indent.
/// </remarks>
internal sealed record HfModelConfig
{
    public required BackboneConfig Decoder { get; init; }

    /// <summary><c>bos_token_id</c>, or null.</summary>
    public int? BosTokenId { get; init; }

    /// <summary><c>eos_token_id</c>: one id, several (LLaMA 3 lists two), or none.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary><c>pad_token_id</c>, or null.</summary>
    public int? PadTokenId { get; init; }

    /// <summary><c>torch_dtype</c> (newer transformers write <c>dtype</c>): the stored precision, or null when not given.</summary>
    public SafetensorsDtype? TorchDtype { get; init; }

    /// <summary><c>model_type</c>: <c>llama</c>, <c>qwen2</c> or <c>bert</c>.</summary>
    public string ModelType => ModelTypeOf(Decoder.Architecture);

    /// <summary><c>architectures[0]</c>: <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> or <c>BertModel</c>.</summary>
    public string ArchitectureName => Decoder.Architecture switch
    {
        BackboneArchitecture.Qwen2 => "Qwen2ForCausalLM",
        BackboneArchitecture.Bert => "BertModel",
        _ => "LlamaForCausalLM",
    };

    public static string ModelTypeOf(BackboneArchitecture architecture) => architecture switch
    {
        BackboneArchitecture.Qwen2 => "qwen2",
        BackboneArchitecture.Bert => "bert",
        _ => "llama",
    };

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">Every problem found, each starting with the file's path and naming the key.</exception>
    public static HfModelConfig Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new CheckpointException(Path.GetDirectoryName(path) ?? path, [$"{path}: not found"]);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new CheckpointException(Path.GetDirectoryName(path)!, [$"{path}: not a JSON object"]);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException(Path.GetDirectoryName(path)!, [$"{path}: not valid JSON: {ex.Message}"]);
        }

        var reader = new ConfigReader(path, root);
        var config = reader.Read();
        if (reader.Problems.Count > 0 || config is null)
        {
            throw new CheckpointException(Path.GetDirectoryName(path)!, reader.Problems);
        }

        return config;
    }

    /// <summary>Writes config.json as transformers would (sorted keys, two-space indent, "\n" line ends, no BOM).</summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var d = Decoder;
        if (d.IsEncoder)
        {
            WriteJson(path, BertJson());
            return;
        }

        var qwen = d.Architecture == BackboneArchitecture.Qwen2;
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["architectures"] = new JsonArray(ArchitectureName),
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenIds.Count switch
            {
                0 => null,
                1 => EosTokenIds[0],
                _ => new JsonArray([.. EosTokenIds.Select(id => (JsonNode)id)]),
            },
            ["hidden_act"] = "silu",
            ["hidden_size"] = d.HiddenSize,
            ["initializer_range"] = DecoderWeights.InitializerRange,
            ["intermediate_size"] = d.IntermediateSize,
            ["max_position_embeddings"] = d.MaxPositionEmbeddings,
            ["model_type"] = ModelType,
            ["num_attention_heads"] = d.NumHeads,
            ["num_hidden_layers"] = d.NumLayers,
            ["num_key_value_heads"] = d.NumKeyValueHeads,
            ["pad_token_id"] = PadTokenId,
            ["rms_norm_eps"] = d.RmsNormEps,
            ["rope_scaling"] = null,
            ["rope_theta"] = d.RopeTheta,
            ["tie_word_embeddings"] = d.TieWordEmbeddings,
            ["torch_dtype"] = TorchDtype?.TorchDtypeName(),
            ["use_cache"] = true,
            ["vocab_size"] = d.VocabSize,
        };
        if (qwen)
        {
            fields["max_window_layers"] = d.NumLayers;
            fields["sliding_window"] = null;
            fields["use_sliding_window"] = false;
        }
        else
        {
            fields["attention_bias"] = false;
            fields["head_dim"] = d.HeadDim;
            fields["mlp_bias"] = false;
            fields["pretraining_tp"] = 1;
        }

        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            root[key] = value;
        }

        WriteJson(path, root);
    }

    /// <summary>transformers' <c>BertConfig</c> keys, sorted.</summary>
    private JsonObject BertJson()
    {
        var d = Decoder;
        var fields = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["architectures"] = new JsonArray(ArchitectureName),
            ["attention_probs_dropout_prob"] = 0.1,
            ["classifier_dropout"] = null,
            ["hidden_act"] = "gelu",
            ["hidden_dropout_prob"] = 0.1,
            ["hidden_size"] = d.HiddenSize,
            ["initializer_range"] = DecoderWeights.InitializerRange,
            ["intermediate_size"] = d.IntermediateSize,
            ["layer_norm_eps"] = d.LayerNormEps,
            ["max_position_embeddings"] = d.MaxPositionEmbeddings,
            ["model_type"] = ModelType,
            ["num_attention_heads"] = d.NumHeads,
            ["num_hidden_layers"] = d.NumLayers,
            ["pad_token_id"] = PadTokenId ?? 0,
            ["position_embedding_type"] = "absolute",
            ["torch_dtype"] = TorchDtype?.TorchDtypeName(),
            ["type_vocab_size"] = d.TypeVocabSize,
            ["use_cache"] = true,
            ["vocab_size"] = d.VocabSize,
        };
        var root = new JsonObject();
        foreach (var (key, value) in fields)
        {
            root[key] = value;
        }

        return root;
    }

    /// <summary>Writes <paramref name="node"/> with two-space indent and a final "\n", UTF-8 without BOM.</summary>
    internal static void WriteJson(string path, JsonNode node)
    {
        var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, NewLine = "\n" }) + "\n";
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private sealed class ConfigReader(string path, JsonObject root)
    {
        public List<string> Problems { get; } = [];

        public HfModelConfig? Read()
        {
            var architecture = Architecture();
            var heads = Int("num_attention_heads", null);
            var qwen = architecture == BackboneArchitecture.Qwen2;
            if (architecture == BackboneArchitecture.Bert)
            {
                return ReadBert(heads);
            }

            var decoder = new BackboneConfig
            {
                Architecture = architecture ?? BackboneArchitecture.Llama,
                VocabSize = Int("vocab_size", null),
                HiddenSize = Int("hidden_size", null),
                IntermediateSize = Int("intermediate_size", null),
                NumLayers = Int("num_hidden_layers", null),
                NumHeads = heads,
                NumKeyValueHeads = Int("num_key_value_heads", heads),
                RmsNormEps = Double("rms_norm_eps", 1e-6),
                RopeTheta = Double("rope_theta", 10_000),
                MaxPositionEmbeddings = Int("max_position_embeddings", qwen ? 32_768 : 2048),
                TieWordEmbeddings = Bool("tie_word_embeddings", false),
            };
            Unsupported(decoder);
            if (Problems.Count == 0)
            {
                Problems.AddRange(decoder.Validate().Select(p => $"{path}: {p}"));
            }

            var config = new HfModelConfig
            {
                Decoder = decoder,
                BosTokenId = OptionalId("bos_token_id"),
                EosTokenIds = Ids("eos_token_id"),
                PadTokenId = OptionalId("pad_token_id"),
                TorchDtype = Dtype(),
            };
            return architecture is null ? null : config;
        }

        private HfModelConfig ReadBert(int heads)
        {
            var bert = new BackboneConfig
            {
                Architecture = BackboneArchitecture.Bert,
                VocabSize = Int("vocab_size", null),
                HiddenSize = Int("hidden_size", null),
                IntermediateSize = Int("intermediate_size", null),
                NumLayers = Int("num_hidden_layers", null),
                NumHeads = heads,
                NumKeyValueHeads = heads,
                MaxPositionEmbeddings = Int("max_position_embeddings", 512),
                TypeVocabSize = Int("type_vocab_size", 2),
                LayerNormEps = Double("layer_norm_eps", 1e-12),
            };
            var activation = root["hidden_act"] is JsonValue act && act.TryGetValue<string>(out var a) ? a : "gelu";
            if (activation != "gelu")
            {
                Problems.Add($"{path}: hidden_act '{activation}' is not supported for bert (gelu, the exact erf form)");
            }

            var positions = root["position_embedding_type"] is JsonValue pos && pos.TryGetValue<string>(out var p) ? p : "absolute";
            if (positions != "absolute")
            {
                Problems.Add($"{path}: position_embedding_type '{positions}' is not supported (absolute)");
            }

            if (Problems.Count == 0)
            {
                Problems.AddRange(bert.Validate().Select(problem => $"{path}: {problem}"));
            }

            return new HfModelConfig { Decoder = bert, PadTokenId = OptionalId("pad_token_id"), TorchDtype = Dtype() };
        }

        private BackboneArchitecture? Architecture()
        {
            var modelType = root["model_type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var architectures = root["architectures"] as JsonArray;
            var first = architectures?.FirstOrDefault()?.GetValueKind() == JsonValueKind.String ? architectures[0]!.GetValue<string>() : null;
            BackboneArchitecture? fromType = modelType switch
            {
                "llama" => BackboneArchitecture.Llama,
                "qwen2" => BackboneArchitecture.Qwen2,
                "bert" => BackboneArchitecture.Bert,
                _ => null,
            };
            BackboneArchitecture? fromArchitectures = first switch
            {
                "LlamaForCausalLM" or "LlamaModel" => BackboneArchitecture.Llama,
                "Qwen2ForCausalLM" or "Qwen2Model" => BackboneArchitecture.Qwen2,
                "BertModel" => BackboneArchitecture.Bert,
                _ => null,
            };
            if (modelType is not null && fromType is null)
            {
                Problems.Add($"{path}: model_type '{modelType}' is not supported (llama, qwen2, bert)");
                return null;
            }

            if (fromType is null && fromArchitectures is null)
            {
                Problems.Add(first is null
                    ? $"{path}: model_type is missing"
                    : $"{path}: architectures[0] '{first}' is not supported (LlamaForCausalLM, Qwen2ForCausalLM, BertModel)");
                return null;
            }

            if (fromType is not null && fromArchitectures is not null && fromType != fromArchitectures)
            {
                Problems.Add($"{path}: model_type '{modelType}' does not match architectures[0] '{first}'");
            }

            return fromType ?? fromArchitectures;
        }

        private void Unsupported(BackboneConfig decoder)
        {
            if (root["rope_scaling"] is JsonNode scaling && scaling.GetValueKind() != JsonValueKind.Null)
            {
                Problems.Add($"{path}: rope_scaling is not supported (linear, dynamic, yarn and llama3 scaling are not implemented); it must be null or absent");
            }

            if (root["head_dim"] is JsonNode headDim && headDim.GetValueKind() != JsonValueKind.Null && decoder.NumHeads > 0
                && Int("head_dim", 0) != decoder.HiddenSize / decoder.NumHeads)
            {
                Problems.Add($"{path}: head_dim {Int("head_dim", 0)} differs from hidden_size / num_attention_heads = {decoder.HiddenSize / decoder.NumHeads}, which is not supported");
            }

            var activation = root["hidden_act"] is JsonValue act && act.TryGetValue<string>(out var a) ? a : "silu";
            if (activation != "silu")
            {
                Problems.Add($"{path}: hidden_act '{activation}' is not supported (silu)");
            }

            foreach (var key in (ReadOnlySpan<string>)["attention_bias", "mlp_bias", "use_sliding_window"])
            {
                if (Bool(key, false))
                {
                    Problems.Add($"{path}: {key} true is not supported");
                }
            }
        }

        private int Int(string key, int? fallback)
        {
            var node = root[key];
            if (node is null || node.GetValueKind() == JsonValueKind.Null)
            {
                if (fallback is null)
                {
                    Problems.Add($"{path}: {key} is missing");
                }

                return fallback ?? 0;
            }

            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number))
            {
                return number;
            }

            if (node is JsonValue other && other.GetValueKind() == JsonValueKind.Number && double.TryParse(other.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }

            Problems.Add($"{path}: {key} must be an integer (is {node.ToJsonString()})");
            return 0;
        }

        private double Double(string key, double fallback)
        {
            var node = root[key];
            if (node is null || node.GetValueKind() == JsonValueKind.Null)
            {
                return fallback;
            }

            if (node.GetValueKind() == JsonValueKind.Number)
            {
                return node.GetValue<double>();
            }

            Problems.Add($"{path}: {key} must be a number (is {node.ToJsonString()})");
            return fallback;
        }

        private bool Bool(string key, bool fallback)
        {
            var node = root[key];
            return node?.GetValueKind() switch
            {
                null or JsonValueKind.Null => fallback,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => BadBool(key, node, fallback),
            };
        }

        private bool BadBool(string key, JsonNode node, bool fallback)
        {
            Problems.Add($"{path}: {key} must be true or false (is {node.ToJsonString()})");
            return fallback;
        }

        private int? OptionalId(string key)
        {
            var node = root[key];
            return node is null || node.GetValueKind() == JsonValueKind.Null ? null : Int(key, 0);
        }

        private List<int> Ids(string key)
        {
            var node = root[key];
            if (node is JsonArray array)
            {
                var ids = new List<int>();
                foreach (var item in array)
                {
                    if (item is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var id))
                    {
                        ids.Add(id);
                    }
                    else
                    {
                        Problems.Add($"{path}: {key} must be an integer or a list of integers");
                        return [];
                    }
                }

                return ids;
            }

            return OptionalId(key) is { } single ? [single] : [];
        }

        private SafetensorsDtype? Dtype()
        {
            foreach (var key in (ReadOnlySpan<string>)["torch_dtype", "dtype"])
            {
                var node = root[key];
                if (node is null || node.GetValueKind() == JsonValueKind.Null)
                {
                    continue;
                }

                var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                if (SafetensorsDtypes.TryParseTorchDtypeName(text, out var dtype))
                {
                    return dtype;
                }

                Problems.Add($"{path}: {key} '{text}' is not supported (float32, float16, bfloat16)");
                return null;
            }

            return null;
        }
    }
}
