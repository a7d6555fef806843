using System.Text.Json.Nodes;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// Writes a Hugging Face model directory's config and weights: <c>config.json</c>, <c>generation_config.json</c>, and
/// <c>model.safetensors</c> or, with a shard size, <c>model-0000i-of-0000n.safetensors</c> shards and
/// <c>model.safetensors.index.json</c>, laid out as transformers' <c>save_pretrained</c> lays them out.
/// </summary>
/// <remarks>
/// Shards are filled greedily in entry order: a tensor that would take a shard past the size starts the next one; a
/// tensor larger than the size gets a shard of its own (as transformers does). Weight files already in the directory
/// are removed first, so a model saved unsharded over a sharded one leaves no stale shard behind. Every safetensors
/// file carries <c>{"format": "pt"}</c> metadata, which transformers checks for.
/// </remarks>
internal static class HfCheckpointWriter
{
    /// <returns>The weight files written, in order.</returns>
    public static IReadOnlyList<string> Write(string directory, HfModelConfig config, IReadOnlyList<SafetensorsWriteEntry> tensors, long? shardBytes = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensors);
        if (shardBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shardBytes), "The shard size must be positive.");
        }

        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.EnumerateFiles(directory).Where(f => CheckpointFiles.IsWeightFile(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }

        config.Write(Path.Combine(directory, CheckpointFiles.Config));
        if (!config.Decoder.IsEncoder)
        {
            // An encoder generates nothing; transformers writes no generation_config.json for BertModel.
            WriteGenerationConfig(Path.Combine(directory, CheckpointFiles.GenerationConfig), config);
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (shardBytes is null)
        {
            var single = Path.Combine(directory, CheckpointFiles.Single);
            SafetensorsWriter.Write(single, tensors, metadata);
            return [single];
        }

        var shards = new List<List<SafetensorsWriteEntry>>();
        var size = 0L;
        foreach (var tensor in tensors)
        {
            if (shards.Count == 0 || (size > 0 && size + tensor.ByteLength > shardBytes))
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(tensor);
            size += tensor.ByteLength;
        }

        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var name = CheckpointFiles.Shard(i + 1, shards.Count);
            var path = Path.Combine(directory, name);
            SafetensorsWriter.Write(path, shards[i], metadata);
            written.Add(path);
            foreach (var tensor in shards[i])
            {
                weightMap[tensor.Name] = name;
            }
        }

        var map = new JsonObject();
        foreach (var (tensor, shard) in weightMap)
        {
            map[tensor] = shard;
        }

        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = tensors.Sum(t => t.ByteLength) },
            ["weight_map"] = map,
        };
        HfModelConfig.WriteJson(Path.Combine(directory, CheckpointFiles.Index), index);
        return written;
    }

    private static void WriteGenerationConfig(string path, HfModelConfig config)
    {
        var root = new JsonObject { ["_from_model_config"] = true };
        if (config.BosTokenId is { } bos)
        {
            root["bos_token_id"] = bos;
        }

        if (config.EosTokenIds.Count > 0)
        {
            root["eos_token_id"] = config.EosTokenIds.Count == 1 ? config.EosTokenIds[0] : new JsonArray([.. config.EosTokenIds.Select(id => (JsonNode)id)]);
        }

        if (config.PadTokenId is { } pad)
        {
            root["pad_token_id"] = pad;
        }

        HfModelConfig.WriteJson(path, root);
    }
}
