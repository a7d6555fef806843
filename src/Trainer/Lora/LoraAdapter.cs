using Rerank.Model.Weights;
using Rerank.Trainer.Backbones;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rerank.Trainer.Lora;

/// <summary>
/// LoRA adapters on a backbone (<see cref="BackboneModel"/>: a decoder or BERT): which linear layers carry one, their trainable parameters, saving and
/// loading them on their own in PEFT's format, and merging them into the base weights for export.
/// </summary>
/// <remarks>
/// <see cref="Attach"/>:
/// 1. Checks the options and that the model has no adapters yet; without targets, the backbone's default
///    (<see cref="LoraOptions.DefaultTargets"/>: every decoder projection, BERT's query and value).
/// 2. Matches every projection of every block (<see cref="BackboneModel.ProjectionHosts"/>) by its full module name
///    against the targets; each list entry must match something, so a misspelt or unsupported target (<c>lm_head</c>,
///    <c>embed_tokens</c>, <c>word_embeddings</c>, a decoder's name on BERT) is refused by name rather than silently skipped.
/// 3. Freezes every base parameter (requires_grad false), embeddings, norms and LM head included.
/// 4. Replaces each target <c>Linear</c> in place by a <see cref="LoraLinear"/> holding the same parameter objects,
///    so base names and values are unchanged and the model computes exactly what it did (<c>lora_B</c> starts at zero).
/// The adapters belong to the model's module tree: disposing the model disposes them. Not thread-safe.
/// </remarks>
internal sealed class LoraAdapter
{
    private readonly BackboneModel _model;
    private readonly List<(string Name, LoraLinear Module)> _modules;

    private LoraAdapter(BackboneModel model, LoraOptions options, List<(string, LoraLinear)> modules)
    {
        _model = model;
        Options = options;
        _modules = modules;
    }

    public LoraOptions Options { get; }

    /// <summary>The adapted modules' full names (<c>model.layers.0.self_attn.q_proj</c>, ...), in forward order.</summary>
    public IReadOnlyList<string> ModuleNames => [.. _modules.Select(m => m.Name)];

    /// <summary>The adapters' parameters by their names in the model (<c>model.layers.0.self_attn.q_proj.lora_A.weight</c>, ...): what the optimizer trains.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters =>
        [.. _modules.SelectMany(m => new[] { (m.Name + ".lora_A.weight", m.Module.LoraA), (m.Name + ".lora_B.weight", m.Module.LoraB) })];

    /// <summary>Whether the updates are currently merged into the base weights.</summary>
    public bool IsMerged => _modules.Count > 0 && _modules[0].Module.IsMerged;

    /// <summary>Adds adapters to <paramref name="model"/> (see the remarks).</summary>
    /// <exception cref="ArgumentException">The options are invalid, or a target matches no linear layer of the blocks; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The model already has adapters.</exception>
    public static LoraAdapter Attach(BackboneModel model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);

        // 1.
        options = options.ResolvedFor(model.Config.Architecture);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid LoRA options: " + string.Join(" ", errors), nameof(options));
        }

        if (model.modules().Any(m => m is LoraLinear))
        {
            throw new InvalidOperationException("The model already has LoRA adapters.");
        }

        // 2.
        var targets = new List<(string Name, IProjectionHost Host, string Projection, Linear Linear)>();
        foreach (var (hostName, host) in model.ProjectionHosts)
        {
            foreach (var projection in host.ProjectionNames)
            {
                var name = hostName + "." + projection;
                if (options.IsTarget(name))
                {
                    var linear = host.GetProjection(projection) as Linear
                        ?? throw new InvalidOperationException($"'{name}' is not a plain linear layer.");
                    targets.Add((name, host, projection, linear));
                }
            }
        }

        var unmatched = options.TargetPattern is { } pattern
            ? (targets.Count == 0 ? [pattern] : [])
            : options.TargetModules!.Where(t => !targets.Any(m => LoraOptions.Matches(m.Name, t))).ToList();
        if (unmatched.Count > 0)
        {
            var family = model.Config.IsEncoder ? "bert encoder layers" : "decoder blocks";
            var notAdaptable = model.Config.IsEncoder ? "embeddings and the pooler are not" : "embeddings and the LM head are not";
            throw new ArgumentException(
                $"LoRA target_modules {string.Join(", ", unmatched.Select(t => $"'{t}'"))} match no linear layer of the {family} "
                + $"(adaptable: {string.Join(", ", model.AdaptableProjections)}; {notAdaptable}).",
                nameof(options));
        }

        // 3.
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        // 4.
        var generator = new Generator((ulong)options.Seed, CPU);
        var modules = new List<(string, LoraLinear)>();
        foreach (var (name, host, projection, linear) in targets)
        {
            var lora = new LoraLinear(linear, options.Rank, options.Scaling, options.Dropout, generator);
            host.SetProjection(projection, lora);
            modules.Add((name, lora));
        }

        return new LoraAdapter(model, options, modules);
    }

    /// <summary>Attaches the adapter saved in <paramref name="directory"/> (<see cref="Save"/>, or PEFT's <c>save_pretrained</c>) and loads its weights.</summary>
    /// <exception cref="CheckpointException">Every problem with adapter_config.json or the weights: refused options, missing tensors, wrong shapes, tensors for modules the config does not target.</exception>
    public static LoraAdapter Load(BackboneModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        var options = AdapterConfigFile.Read(Path.Combine(directory, LoraFiles.Config));
        LoraAdapter adapter;
        try
        {
            adapter = Attach(model, options);
        }
        catch (ArgumentException ex)
        {
            throw new CheckpointException(directory, [$"{Path.Combine(directory, LoraFiles.Config)}: {ex.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal)}"]);
        }

        adapter.LoadWeights(Path.Combine(directory, LoraFiles.Weights));
        return adapter;
    }

    /// <summary>Fills the adapters from a PEFT adapter_model.safetensors (float32, float16 or bfloat16), checking every key and shape first.</summary>
    /// <exception cref="CheckpointException">Missing tensors, wrong shapes, unexpected tensors; every one listed.</exception>
    public void LoadWeights(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(path)!;
        if (!File.Exists(path))
        {
            throw new CheckpointException(directory, [$"{path}: not found"]);
        }

        using var file = SafetensorsFile.Open(path);
        var expected = _modules.SelectMany(m => new[] { (LoraFiles.LoraAKey(m.Name), m.Module.LoraA), (LoraFiles.LoraBKey(m.Name), m.Module.LoraB) }).ToList();
        var problems = new List<string>();
        foreach (var (key, parameter) in expected)
        {
            if (!file.Contains(key))
            {
                problems.Add($"{path}: tensor '{key}' is missing");
            }
            else if (file.Get(key) is var info && !info.Shape.AsSpan().SequenceEqual(parameter.shape))
            {
                problems.Add($"{path}: tensor '{key}' has shape {info.ShapeText}, adapter_config.json (r = {Options.Rank}) and the model expect {SafetensorsTensorInfo.FormatShape(parameter.shape)}");
            }
        }

        var known = expected.Select(e => e.Item1).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(file.Tensors.Where(t => !known.Contains(t.Name)).Select(t => $"{path}: tensor '{t.Name}' is not a lora_A/lora_B weight of a targeted module"));
        if (problems.Count > 0)
        {
            throw new CheckpointException(directory, problems);
        }

        using var noGrad = no_grad();
        foreach (var (key, parameter) in expected)
        {
            var info = file.Get(key);
            using var staged = empty(info.Shape, info.Dtype.ToScalarType());
            file.ReadBytes(info, 0, staged.bytes);
            parameter.copy_(staged);
        }
    }

    /// <summary>
    /// Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> (float32, PEFT's keys
    /// <c>base_model.model.{module}.lora_A.weight</c> / <c>.lora_B.weight</c>) into <paramref name="directory"/>; the base
    /// weights are not written.
    /// </summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var entries = new List<SafetensorsWriteEntry>();
        foreach (var (name, module) in _modules)
        {
            entries.Add(Entry(LoraFiles.LoraAKey(name), module.LoraA));
            entries.Add(Entry(LoraFiles.LoraBKey(name), module.LoraB));
        }

        SafetensorsWriter.Write(Path.Combine(directory, LoraFiles.Weights), entries, new Dictionary<string, string> { ["format"] = "pt" });
        AdapterConfigFile.Write(Path.Combine(directory, LoraFiles.Config), Options, _model.Config.IsEncoder);
    }

    /// <summary>Adds every update into its base weight (<see cref="LoraLinear.Merge"/>); the forward pass then costs what the base model's does.</summary>
    public void Merge() => _modules.ForEach(m => m.Module.Merge());

    /// <summary>Takes every update out of its base weight again.</summary>
    public void Unmerge() => _modules.ForEach(m => m.Module.Unmerge());

    /// <summary>
    /// Every base parameter as float32 with the updates merged (<c>W + scaling * B A</c>), under the checkpoint keys: the
    /// weights an exported ONNX graph is built from. The model itself is left as it is.
    /// </summary>
    public WeightSet MergedWeights()
    {
        var adapted = _modules.ToDictionary(m => m.Name + ".weight", m => m.Module, StringComparer.Ordinal);
        var weights = new WeightSet();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _model.BaseParameters())
        {
            using var scope = NewDisposeScope();
            var merged = adapted.TryGetValue(name, out var lora) ? lora.MergedWeight() : parameter.to(ScalarType.Float32, CPU, copy: true);
            weights.Add(name, parameter.shape, merged.contiguous().data<float>().ToArray());
        }

        return weights;
    }

    private static SafetensorsWriteEntry Entry(string key, Parameter parameter)
    {
        using var noGrad = no_grad();
        using var values = parameter.to(ScalarType.Float32, CPU, copy: true);
        return SafetensorsWriteEntry.FromSingles(key, SafetensorsDtype.F32, parameter.shape, values.data<float>().ToArray());
    }
}
