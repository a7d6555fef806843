using TorchSharp.Modules;
using TorchSharp.Utils;
using Rerank.Model.Architecture;
using Rerank.Model.Weights;
using Rerank.Model.Checkpoints;
using Rerank.Trainer.Checkpoints;
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
internal sealed class DecoderModel : BackboneModel
{
    [ComponentName(Name = "model")]
    private readonly DecoderStack _model;

    [ComponentName(Name = "lm_head")]
    private readonly Linear? _lmHead;

    /// <exception cref="ArgumentException">The config is invalid (every problem listed), or the dtype is not a float type.</exception>
    public DecoderModel(BackboneConfig config, BackboneOptions? options = null) : base(nameof(DecoderModel), config, options)
    {
        if (config.IsEncoder)
        {
            throw new ArgumentException("A bert config is not a decoder one; BertModel runs it.", nameof(config));
        }

        _model = new DecoderStack(config, Dtype, Device);
        _lmHead = config.TieWordEmbeddings ? null : Projections.Create(config.HiddenSize, config.VocabSize, bias: false, Dtype, Device);
        RegisterComponents();
    }

    public DecoderStack Body => _model;

    /// <summary>
    /// Every module whose linear projections LoRA may wrap, by full module name (<c>model.layers.0.self_attn</c>,
    /// <c>model.layers.0.mlp</c>, ...), in forward order.
    /// </summary>
    public override IEnumerable<(string Name, IProjectionHost Host)> ProjectionHosts =>
        _model.Layers.SelectMany((layer, i) => new (string, IProjectionHost)[]
        {
            ($"model.layers.{i}.self_attn", layer.SelfAttention),
            ($"model.layers.{i}.mlp", layer.Mlp),
        });

    /// <summary>q/k/v/o of the attention and gate/up/down of the MLP.</summary>
    public override IReadOnlyList<string> AdaptableProjections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>Opens the Hugging Face model directory, checks it (<see cref="HfCheckpoint.Open"/>) and loads every tensor.</summary>
    /// <exception cref="CheckpointException">Every problem with the config or the weights (missing tensors, wrong shapes, ...).</exception>
    /// <exception cref="InvalidDataException">A safetensors file is corrupt or holds an unsupported dtype; the message names the file and tensor.</exception>
    public static new DecoderModel Load(string directory, BackboneOptions? options = null)
    {
        using var checkpoint = HfCheckpoint.Open(directory);
        return Filled(new DecoderModel(checkpoint.Config.Decoder, options), m => m.LoadWeights(checkpoint));
    }

    /// <summary>A model with the values of <paramref name="weights"/> (src/Model's fp32 set, as the ONNX graphs read it).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static new DecoderModel Create(BackboneConfig config, WeightSet weights, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Filled(new DecoderModel(config, options), m => m.LoadWeights(weights));
    }

    /// <param name="inputIds">int64 token ids <c>[batch, seq]</c>, right-padded, on the model's device.</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding on the right.</param>
    /// <returns>The last hidden state after the final norm, <c>[batch, seq, hidden]</c>, in the model's dtype.</returns>
    /// <exception cref="ArgumentException">The inputs are not two-dimensional of one shape, or longer than <c>max_position_embeddings</c>.</exception>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        return _model.call(inputIds, attentionMask);
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
}
