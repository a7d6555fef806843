using TorchSharp.Utils;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;
using Rerank.Model.Weights;
using Rerank.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// A BERT encoder in TorchSharp, laid out as transformers' <c>BertModel</c> so that every parameter's name is its
/// checkpoint key (<see cref="BertWeights.ParameterShapes"/>, no <c>bert.</c> prefix, as sentence-transformers saves
/// them): <c>embeddings.{word,position,token_type}_embeddings</c>, <c>embeddings.LayerNorm</c> and
/// <c>encoder.layer.N.{attention.self.{query,key,value}, attention.output.{dense,LayerNorm}, intermediate.dense,
/// output.{dense,LayerNorm}}</c>. The pooler is not part of it.
/// </summary>
/// <remarks>
/// The forward pass is <c>BertModel(input_ids, attention_mask).last_hidden_state</c> in evaluation mode (no dropout):
/// 1. embeddings at positions <c>0 .. seq - 1</c> with token type 0, then LayerNorm (<see cref="BertEmbeddings"/>);
/// 2. one additive mask <c>[batch, 1, 1, seq]</c> shared by every layer: 0 for real keys and <c>float.MinValue</c> for
///    padded ones (HF's extended attention mask); attention is bidirectional, with no causal mask, so a real token's
///    state does not depend on the padding of its batch;
/// 3. the post-LayerNorm layers with exact GELU (<see cref="BertLayer"/>), every LayerNorm with <c>layer_norm_eps</c>.
/// Parameters start at zero (LayerNorm weights at one) and come from a checkpoint or a <see cref="WeightSet"/>.
/// Not thread-safe; the owner disposes.
/// </remarks>
internal sealed class BertModel : BackboneModel
{
    [ComponentName(Name = "embeddings")]
    private readonly BertEmbeddings _embeddings;

    [ComponentName(Name = "encoder")]
    private readonly BertEncoder _encoder;

    /// <exception cref="ArgumentException">The config is invalid or not a bert one (every problem listed), or the dtype is not a float type.</exception>
    public BertModel(BackboneConfig config, BackboneOptions? options = null) : base(nameof(BertModel), config, options)
    {
        if (!config.IsEncoder)
        {
            throw new ArgumentException($"A {HfModelConfig.ModelTypeOf(config.Architecture)} config is not a bert one; DecoderModel runs it.", nameof(config));
        }

        _embeddings = new BertEmbeddings(config, Dtype, Device);
        _encoder = new BertEncoder(config, Dtype, Device);
        RegisterComponents();
    }

    /// <summary>
    /// Every module whose linear projections LoRA may wrap, by full module name, in forward order: per layer
    /// <c>encoder.layer.N.attention.self</c> (query, key, value), <c>encoder.layer.N.attention.output</c> (dense),
    /// <c>encoder.layer.N.intermediate</c> (dense) and <c>encoder.layer.N.output</c> (dense).
    /// </summary>
    public override IEnumerable<(string Name, IProjectionHost Host)> ProjectionHosts =>
        _encoder.Layers.SelectMany((layer, i) => new (string, IProjectionHost)[]
        {
            (BertWeights.LayerPrefix(i) + "attention.self", layer.Attention.Self),
            (BertWeights.LayerPrefix(i) + "attention.output", layer.Attention.Output),
            (BertWeights.LayerPrefix(i) + "intermediate", layer.Intermediate),
            (BertWeights.LayerPrefix(i) + "output", layer.Output),
        });

    /// <summary>query, key, value of the self-attention and the dense layers (attention output, intermediate, output).</summary>
    public override IReadOnlyList<string> AdaptableProjections { get; } = ["query", "key", "value", "dense"];

    /// <summary>Opens the Hugging Face model directory, checks it (<see cref="HfCheckpoint.Open"/>) and loads every tensor.</summary>
    /// <exception cref="CheckpointException">Every problem with the config or the weights (missing tensors, wrong shapes, ...).</exception>
    /// <exception cref="ArgumentException">The checkpoint is not a bert one.</exception>
    public static new BertModel Load(string directory, BackboneOptions? options = null)
    {
        using var checkpoint = HfCheckpoint.Open(directory);
        return Filled(new BertModel(checkpoint.Config.Decoder, options), m => m.LoadWeights(checkpoint));
    }

    /// <summary>A model with the values of <paramref name="weights"/> (src/Model's fp32 set, <see cref="BertWeights"/>' names).</summary>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static new BertModel Create(BackboneConfig config, WeightSet weights, BackboneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Filled(new BertModel(config, options), m => m.LoadWeights(weights));
    }

    /// <param name="inputIds">int64 token ids <c>[batch, seq]</c>, right-padded, on the model's device.</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding.</param>
    /// <returns>The last hidden state <c>[batch, seq, hidden]</c>, in the model's dtype; pad positions are finite and meaningless.</returns>
    /// <exception cref="ArgumentException">The inputs are not two-dimensional of one shape, or longer than <c>max_position_embeddings</c>.</exception>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();

        // 1.
        var x = _embeddings.call(inputIds);

        // 2. (1 - mask) * float.MinValue, as HF's _prepare_4d_attention_mask for float32.
        using TorchSharp.Scalar lowest = float.MinValue;
        var additive = attentionMask.eq(0).to(ScalarType.Float32).mul(lowest).unsqueeze(1).unsqueeze(2);

        // 3.
        return _encoder.call(x, additive).MoveToOuterDisposeScope();
    }
}
