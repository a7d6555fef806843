using TorchSharp.Modules;
using TorchSharp.Utils;
using Rerank.Model.Architecture;
using Rerank.Model.Weights;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
using Rerank.Trainer.Native;
using Rerank.Trainer.Weights;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// A LLaMA or Qwen2 decoder in TorchSharp, laid out as HF's <c>LlamaForCausalLM</c> / <c>Qwen2ForCausalLM</c> so that
/// every parameter's name is its checkpoint key (<see cref="DecoderWeights.ParameterShapes"/>): <c>model.embed_tokens</c>,
/// <c>model.layers.N.{input_layernorm, self_attn.{q,k,v,o}_proj, post_attention_layernorm, mlp.{gate,up,down}_proj}</c>,
/// <c>model.norm</c> and <c>lm_head</c> (absent when the embeddings are tied).
/// </summary>
/// <remarks>
/// The forward pass computes what src/Model's ONNX decoder graph computes (docs/trainer.md, "Backbones"): the last hidden
/// state after the final norm, for right-padded batches with positions <c>0 .. seq - 1</c>. <see cref="Logits"/> applies
/// the LM head. Parameters start at zero (norm weights at one) and come from a checkpoint or a <see cref="WeightSet"/>.
/// Not thread-safe; the owner disposes.
/// </remarks>
internal sealed class DecoderModel : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly DecoderStack _model;

    [ComponentName(Name = "lm_head")]
    private readonly Linear? _lmHead;

    /// <exception cref="ArgumentException">The config is invalid (every problem listed), or the dtype is not a float type.</exception>
    public DecoderModel(BackboneConfig config, DecoderModelOptions? options = null) : base(nameof(DecoderModel))
    {
        TorchNative.Initialize();
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid decoder config: " + string.Join(" ", errors), nameof(config));
        }

        options ??= new DecoderModelOptions();
        if (options.Dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
        {
            throw new ArgumentException($"dtype {options.Dtype} is not supported (Float32, BFloat16 or Float16).", nameof(options));
        }

        Config = config;
        Options = options;
        var device = options.Device ?? CPU;
        _model = new DecoderStack(config, options.Dtype, device);
        _lmHead = config.TieWordEmbeddings ? null : Projections.Create(config.HiddenSize, config.VocabSize, bias: false, options.Dtype, device);
        RegisterComponents();
    }

    public BackboneConfig Config { get; }

    public DecoderModelOptions Options { get; }

    public DecoderStack Body => _model;

    /// <summary>
    /// Every module whose linear projections LoRA may wrap, by full module name (<c>model.layers.0.self_attn</c>,
    /// <c>model.layers.0.mlp</c>, ...), in forward order.
    /// </summary>
    public IEnumerable<(string Name, IProjectionHost Host)> ProjectionHosts =>
        _model.Layers.SelectMany((layer, i) => new (string, IProjectionHost)[]
        {
            ($"model.layers.{i}.self_attn", layer.SelfAttention),
            ($"model.layers.{i}.mlp", layer.Mlp),
        });

    /// <summary>Opens the Hugging Face model directory, checks it (<see cref="HfCheckpoint.Open"/>) and loads every tensor.</summary>
    /// <exception cref="CheckpointException">Every problem with the config or the weights (missing tensors, wrong shapes, ...).</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or holds an unsupported dtype; the message names the file and tensor.</exception>
    public static DecoderModel Load(string directory, DecoderModelOptions? options = null)
    {
        using var checkpoint = HfCheckpoint.Open(directory);
        var model = new DecoderModel(checkpoint.Config.Decoder, options);
        try
        {
            model.LoadWeights(checkpoint);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A model with the values of <paramref name="weights"/> (src/Model's fp32 set, as the ONNX graphs read it).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static DecoderModel Create(BackboneConfig config, WeightSet weights, DecoderModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var model = new DecoderModel(config, options);
        try
        {
            model.LoadWeights(weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
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

    /// <param name="inputIds">int64 token ids <c>[batch, seq]</c>, right-padded, on the model's device.</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding on the right.</param>
    /// <returns>The last hidden state after the final norm, <c>[batch, seq, hidden]</c>, in the model's dtype.</returns>
    /// <exception cref="ArgumentException">The inputs are not two-dimensional of one shape, or longer than <c>max_position_embeddings</c>.</exception>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        return _model.call(inputIds, attentionMask);
    }

    private void Check(Tensor inputIds, Tensor attentionMask)
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

    /// <summary>
    /// The forward pass of a left-padded batch (the teacher's: every row's last position is its last real token): positions
    /// <c>cumsum(mask) - 1</c> per row, pads clamped to 0; the mask is causal and key-is-real as in <see cref="forward"/>.
    /// A row gets the hidden states it would get alone and unpadded at its real positions.
    /// </summary>
    /// <param name="inputIds">int64 token ids <c>[batch, seq]</c>, left-padded, on the model's device.</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding on the left.</param>
    /// <returns>The last hidden state after the final norm, <c>[batch, seq, hidden]</c>, in the model's dtype; pad positions (and a pure-pad row) are finite and meaningless.</returns>
    /// <exception cref="ArgumentException">The inputs are not two-dimensional of one shape, or longer than <c>max_position_embeddings</c>.</exception>
    public Tensor ForwardLeftPadded(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        return _model.ForwardLeftPadded(inputIds, attentionMask);
    }

    /// <summary>
    /// LM-head logits <c>[..., vocab]</c> = <c>hidden @ lm_head.weight^T</c>, or <c>@ model.embed_tokens.weight^T</c> when
    /// the embeddings are tied; in the model's dtype (transformers no longer upcasts them).
    /// </summary>
    public Tensor Logits(Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return _lmHead is null ? nn.functional.linear(hidden, _model.EmbedTokens.Weight) : _lmHead.call(hidden);
    }

    /// <summary>The LM head's weight <c>[vocab, hidden]</c>: <c>lm_head.weight</c>, or <c>model.embed_tokens.weight</c> when tied (for reading a few rows).</summary>
    public Tensor LmHeadWeight => _lmHead is null ? _model.EmbedTokens.Weight : _lmHead.weight!;

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

    private static string Shape(Tensor t) => SafetensorsTensorInfo.FormatShape(t.shape);
}
