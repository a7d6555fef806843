using System.Text.Json;
using Rerank.Model.Architecture;
using Rerank.Model.Weights;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// A Hugging Face model directory opened for reading without TorchSharp: <c>config.json</c> plus
/// <c>model.safetensors</c>, or shards listed by <c>model.safetensors.index.json</c>. Every tensor the config implies
/// is checked (present, right shape) before anything is read; tensors are then read one at a time from memory-mapped
/// files, float16 and bfloat16 converted exactly to float32.
/// </summary>
/// <remarks>
/// The expected tensors are <see cref="BackboneWeights.ParameterShapes"/>, the list the ONNX graphs read too.
/// Tensors the config does not imply (an old LLaMA's <c>rotary_emb.inv_freq</c>, BERT's <c>pooler.dense.*</c>, a tied
/// model's redundant <c>lm_head.weight</c>) are listed in <see cref="UnusedTensors"/> and otherwise ignored. The
/// trainer's TorchSharp loader (<c>HfCheckpoint</c>) opens checkpoints through this type. The owner disposes; reads
/// may run concurrently.
/// </remarks>
internal sealed class HfCheckpointReader : IDisposable
{
    private readonly Dictionary<string, (SafetensorsFile File, SafetensorsTensorInfo Info)> _tensors;
    private readonly List<SafetensorsFile> _files;

    private HfCheckpointReader(string directory, HfModelConfig config, List<SafetensorsFile> files, Dictionary<string, (SafetensorsFile, SafetensorsTensorInfo)> tensors, IReadOnlyList<(string Name, long[] Shape)> parameters)
    {
        Directory = directory;
        Config = config;
        _files = files;
        _tensors = tensors;
        Parameters = parameters;
        UnusedTensors = [.. tensors.Keys.Except(parameters.Select(p => p.Name), StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The checkpoint directory's full path.</summary>
    public string Directory { get; }

    public HfModelConfig Config { get; }

    /// <summary>The tensors the config implies, in forward order, with their shapes.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Parameters { get; }

    /// <summary>Tensors in the files that the config does not imply; they are never read.</summary>
    public IReadOnlyList<string> UnusedTensors { get; }

    /// <summary>The safetensors files (one, or the shards in index order).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>Bytes of all safetensors files together.</summary>
    public long TotalBytes => _files.Sum(f => f.Length);

    /// <summary>Opens <paramref name="directory"/>, reads every parameter as float32 and closes it again.</summary>
    /// <exception cref="CheckpointException">Every problem found: config keys, index entries, missing shards, missing tensors, wrong shapes.</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or truncated; the message names it and the tensor.</exception>
    public static (HfModelConfig Config, WeightSet Weights) ReadWeights(string directory)
    {
        using var reader = Open(directory);
        return (reader.Config, reader.ReadWeightSet());
    }

    /// <summary>Opens <paramref name="directory"/> and checks it (see the remarks).</summary>
    /// <exception cref="CheckpointException">Every problem found: config keys, index entries, missing shards, missing tensors, wrong shapes.</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or truncated; the message names it and the tensor.</exception>
    public static HfCheckpointReader Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new CheckpointException(directory, [$"{directory}: directory not found"]);
        }

        var config = HfModelConfig.Read(Path.Combine(directory, CheckpointFiles.Config));
        var problems = new List<string>();
        var files = new List<SafetensorsFile>();
        try
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var located = Locate(directory, problems, reported);
            var tensors = new Dictionary<string, (SafetensorsFile, SafetensorsTensorInfo)>(StringComparer.Ordinal);
            foreach (var (file, names) in located)
            {
                var opened = SafetensorsFile.Open(file);
                files.Add(opened);
                foreach (var info in opened.Tensors)
                {
                    if (names is null || names.Contains(info.Name))
                    {
                        tensors[info.Name] = (opened, info);
                    }
                }

                foreach (var missing in (names ?? []).Where(n => !opened.Contains(n)).Order(StringComparer.Ordinal))
                {
                    problems.Add($"{opened.Path}: tensor '{missing}' is not in the file, though {CheckpointFiles.Index} places it there");
                    reported.Add(missing);
                }
            }

            var parameters = BackboneWeights.ParameterShapes(config.Decoder);
            var sources = located.Count == 1 && located[0].Names is null ? CheckpointFiles.Single : CheckpointFiles.Index + "'s weight_map";
            foreach (var (name, shape) in parameters)
            {
                if (!tensors.TryGetValue(name, out var entry))
                {
                    if (located.Count > 0 && !reported.Contains(name))
                    {
                        problems.Add($"{directory}: tensor '{name}' is missing (looked in {sources})");
                    }
                }
                else if (!entry.Item2.Shape.AsSpan().SequenceEqual(shape))
                {
                    problems.Add($"{entry.Item1.Path}: tensor '{name}' has shape {entry.Item2.ShapeText}, config.json expects {SafetensorsTensorInfo.FormatShape(shape)}");
                }
            }

            if (problems.Count > 0)
            {
                throw new CheckpointException(directory, problems);
            }

            return new HfCheckpointReader(directory, config, files, tensors, parameters);
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>The entry of tensor <paramref name="name"/> and the file holding it.</summary>
    /// <exception cref="InvalidDataException">No such tensor.</exception>
    public (SafetensorsFile File, SafetensorsTensorInfo Info) Find(string name) =>
        _tensors.TryGetValue(name, out var entry) ? entry : throw new InvalidDataException($"{Directory}: tensor '{name}' is not in the checkpoint");

    /// <summary>Reads tensor <paramref name="name"/> as float32 values.</summary>
    public float[] ReadSingles(string name)
    {
        var (file, _) = Find(name);
        return file.ReadSingles(name);
    }

    /// <summary>Every parameter as float32, in src/Model's <see cref="WeightSet"/> (for ONNX graphs and tests; holds the model in fp32).</summary>
    public WeightSet ReadWeightSet() => new(Parameters.Select(p => new WeightTensor(p.Name, p.Shape, ReadSingles(p.Name))));

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    /// <summary>The safetensors files to open, each with the tensor names the index assigns it (null: every tensor in it).</summary>
    /// <remarks>Tensors whose problem is already reported (their shard is missing) go into <paramref name="reported"/>.</remarks>
    private static List<(string File, HashSet<string>? Names)> Locate(string directory, List<string> problems, HashSet<string> reported)
    {
        var indexPath = Path.Combine(directory, CheckpointFiles.Index);
        var singlePath = Path.Combine(directory, CheckpointFiles.Single);
        if (!File.Exists(indexPath))
        {
            if (File.Exists(singlePath))
            {
                return [(singlePath, null)];
            }

            problems.Add($"{directory}: neither {CheckpointFiles.Single} nor {CheckpointFiles.Index} is there (PyTorch .bin checkpoints are not read; convert them to safetensors)");
            return [];
        }

        Dictionary<string, string> weightMap;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{indexPath}: \"weight_map\" is missing or not an object");
                return [];
            }

            weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString() is not { Length: > 0 } shard
                    || Path.IsPathRooted(shard) || shard.Split('/', '\\').Contains(".."))
                {
                    problems.Add($"{indexPath}: tensor '{entry.Name}': the shard must be a file name in the checkpoint directory");
                    reported.Add(entry.Name);
                    continue;
                }

                weightMap[entry.Name] = shard;
            }
        }
        catch (JsonException ex)
        {
            problems.Add($"{indexPath}: not valid JSON: {ex.Message}");
            return [];
        }

        var located = new List<(string, HashSet<string>?)>();
        foreach (var group in weightMap.GroupBy(p => p.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shardPath = Path.Combine(directory, group.Key);
            if (!File.Exists(shardPath))
            {
                var first = group.Select(p => p.Key).Order(StringComparer.Ordinal).First();
                var others = group.Count() - 1;
                problems.Add($"{indexPath}: shard '{group.Key}' is not there (it holds '{first}'{(others > 0 ? $" and {others} more" : "")})");
                reported.UnionWith(group.Select(p => p.Key));
                continue;
            }

            located.Add((shardPath, group.Select(p => p.Key).ToHashSet(StringComparer.Ordinal)));
        }

        return located;
    }
}
