using TorchSharp.Modules;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Weights;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Native;
using Rerank.Trainer.Weights;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// What the student needs of a backbone, whatever its family: the config, <c>forward(input_ids, attention_mask)</c> to
/// the last hidden state <c>[batch, seq, hidden]</c> of a right-padded batch, the modules whose linear projections LoRA
/// may wrap, the device and dtype, and loading the checkpoint's parameters, which are named by their checkpoint keys.
/// Implemented by <see cref="DecoderModel"/> (LLaMA, Qwen2) and <see cref="BertModel"/>.
/// </summary>
/// <remarks>
/// A real token's hidden state does not depend on the padding of its batch: a decoder's attention is causal and a
/// right pad comes after every real token; BERT's attention is bidirectional but hides padded keys. Pad positions are
/// finite and meaningless. Not thread-safe; the owner disposes.
/// </remarks>
internal abstract class BackboneModel : nn.Module<Tensor, Tensor, Tensor>
{
    /// <exception cref="ArgumentException">The config is invalid (every problem listed), or the dtype is not a float type.</exception>
    protected BackboneModel(string name, BackboneConfig config, BackboneOptions? options) : base(name)
    {
        TorchNative.Initialize();
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {(config.IsEncoder ? "bert" : "decoder")} config: " + string.Join(" ", errors), nameof(config));
        }

        options ??= new BackboneOptions();
        if (options.Dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"dtype {options.Dtype} is not supported (Float32, BFloat16 or Float16).", nameof(options));
        }

        Config = config;
        Options = options;
    }

    public BackboneConfig Config { get; }

    public BackboneOptions Options { get; }

    /// <summary>The parameters' device.</summary>
    public Device Device => Options.Device ?? CPU;

    /// <summary>The parameters' element type.</summary>
    public ScalarType Dtype => Options.Dtype;

    /// <summary>
    /// Every module whose linear projections LoRA may wrap, by full module name (<c>model.layers.0.self_attn</c>,
    /// <c>encoder.layer.0.attention.self</c>, ...), in forward order.
    /// </summary>
    public abstract IEnumerable<(string Name, IProjectionHost Host)> ProjectionHosts { get; }

    /// <summary>The projection names LoRA targets may use for this family, for messages (<c>q_proj</c>, ... or <c>query</c>, ...).</summary>
    public abstract IReadOnlyList<string> AdaptableProjections { get; }

    /// <summary>The backbone for <paramref name="config"/>'s architecture: <see cref="BertModel"/> for bert, else <see cref="DecoderModel"/>.</summary>
    /// <exception cref="ArgumentException">The config is invalid (every problem listed), or the dtype is not a float type.</exception>
    public static BackboneModel Create(BackboneConfig config, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.IsEncoder ? new BertModel(config, options) : new DecoderModel(config, options);
    }

    /// <summary>Copies every parameter from <paramref name="checkpoint"/>, converting to this model's dtype and device.</summary>
    /// <exception cref="InvalidDataException">The checkpoint's config implies other tensors than this model has.</exception>
    public void LoadWeights(HfCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var parameters = BaseParameters();
        var expected = checkpoint.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var mismatched = parameters.Keys.Where(n => !expected.Contains(n)).Concat(expected.Where(n => !parameters.ContainsKey(n))).ToList();
        if (mismatched.Count > 0)
        {
            throw new InvalidDataException($"{checkpoint.Directory}: the checkpoint does not fit this model: {string.Join(", ", mismatched.Select(n => $"'{n}'"))}");
        }

        foreach (var (name, parameter) in parameters)
        {
            checkpoint.ReadInto(name, parameter);
        }
    }

    /// <summary>Copies every parameter from <paramref name="weights"/>, converting to this model's dtype and device.</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public void LoadWeights(WeightSet weights) =>
        WeightSetCopy.CopyInto(BaseParameters().Select(p => (p.Key, p.Value)), weights);

    /// <summary>The checkpoint parameters by name, in module order, without any adapter parameter LoRA added.</summary>
    public IReadOnlyDictionary<string, Parameter> BaseParameters()
    {
        var result = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, parameter) in named_parameters())
        {
            if (!IsAdapterParameter(name))
            {
                result.Add(name, parameter);
            }
        }

        return result;
    }

    /// <summary>True for names under a LoRA module (<c>.lora_A.</c>, <c>.lora_B.</c>).</summary>
    public static bool IsAdapterParameter(string name) =>
        name.Contains(".lora_A.", StringComparison.Ordinal) || name.Contains(".lora_B.", StringComparison.Ordinal);

    /// <summary>Checks that the inputs are <c>[batch, seq]</c> of one shape and no longer than <c>max_position_embeddings</c>.</summary>
    /// <exception cref="ArgumentException">They are not.</exception>
    protected void Check(Tensor inputIds, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (inputIds.dim() != 2 || !inputIds.shape.AsSpan().SequenceEqual(attentionMask.shape))
        {
            throw new ArgumentException($"input_ids {Shape(inputIds)} and attention_mask {Shape(attentionMask)} must both be [batch, seq].", nameof(attentionMask));
        }

        if (inputIds.shape[1] > Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"The sequence has {inputIds.shape[1]} tokens, more than max_position_embeddings {Config.MaxPositionEmbeddings}.", nameof(inputIds));
        }
    }

    /// <summary>Opens the Hugging Face model directory, checks it (<see cref="HfCheckpoint.Open"/>) and loads every tensor into the backbone of its architecture.</summary>
    /// <exception cref="CheckpointException">Every problem with the config or the weights (missing tensors, wrong shapes, ...).</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or holds an unsupported dtype; the message names the file and tensor.</exception>
    public static BackboneModel Load(string directory, BackboneOptions? options = null)
    {
        using var checkpoint = HfCheckpoint.Open(directory);
        return Filled(Create(checkpoint.Config.Decoder, options), m => m.LoadWeights(checkpoint));
    }

    /// <summary>A backbone of <paramref name="config"/>'s architecture with the values of <paramref name="weights"/> (src/Model's fp32 set).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static BackboneModel Create(BackboneConfig config, WeightSet weights, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Filled(Create(config, options), m => m.LoadWeights(weights));
    }

    /// <summary>Runs <paramref name="load"/> on <paramref name="model"/> and returns it; disposes it when loading fails.</summary>
    protected static TModel Filled<TModel>(TModel model, Action<TModel> load)
        where TModel : BackboneModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(load);
        try
        {
            load(model);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Shape(Tensor t) => SafetensorsTensorInfo.FormatShape(t.shape);
}
