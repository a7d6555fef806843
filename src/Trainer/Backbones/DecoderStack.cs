using TorchSharp.Modules;
using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// <c>model</c>: HF's <c>LlamaModel</c> / <c>Qwen2Model</c> without a cache, as <c>DecoderGraph</c> builds it in ONNX
/// (docs/model-graphs.md, "Decoder backbone").
/// </summary>
/// <remarks>
/// 1. Token embedding (<c>embed_tokens</c>).
/// 2. Positions <c>0 .. seq - 1</c> (what HF uses for a right-padded batch); for a left-padded batch
///    (<see cref="ForwardLeftPadded"/>) each row's own positions from its mask, <c>cumsum(mask) - 1</c> with pads clamped
///    to 0 (what HF's <c>generate</c> passes), so a row's real tokens sit at <c>0 .. n - 1</c> whatever its padding. cos
///    and sin from <see cref="RotaryEmbedding.Tables"/>, the ONNX graph's own tables, cast to the model's dtype.
/// 3. One mask <c>[batch, 1, seq, seq]</c> shared by every layer: key j is visible to query i iff j &lt;= i and
///    <c>attention_mask[j] != 0</c>.
/// 4. The layers, then the final RMSNorm (<c>norm</c>).
/// </remarks>
internal sealed class DecoderStack : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BackboneConfig _config;

    [ComponentName(Name = "embed_tokens")]
    private readonly TokenEmbedding _embedTokens;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<DecoderLayer> _layers;

    [ComponentName(Name = "norm")]
    private readonly RmsNorm _norm;

    public DecoderStack(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(DecoderStack))
    {
        _config = config;
        _embedTokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        _layers = nn.ModuleList([.. Enumerable.Range(0, config.NumLayers).Select(_ => new DecoderLayer(config, dtype, device))]);
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    public TokenEmbedding EmbedTokens => _embedTokens;

    public IEnumerable<DecoderLayer> Layers => _layers;

    /// <param name="input">int64 token ids <c>[batch, seq]</c>, right-padded.</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding.</param>
    /// <returns>The hidden states after the final norm, <c>[batch, seq, hidden]</c>; padded rows are finite and meaningless.</returns>
    public override Tensor forward(Tensor input, Tensor attentionMask) => Run(input, attentionMask, leftPadded: false);

    /// <summary>The forward pass of a left-padded batch: positions from the mask (step 2), the same mask otherwise.</summary>
    /// <param name="input">int64 token ids <c>[batch, seq]</c>, left-padded (each row's real tokens last).</param>
    /// <param name="attentionMask">int64 <c>[batch, seq]</c>: nonzero for real tokens, 0 for padding on the left.</param>
    /// <returns>The hidden states after the final norm, <c>[batch, seq, hidden]</c>; the last position is each row's last real token. Pad positions are finite and meaningless (a pure-pad row too).</returns>
    public Tensor ForwardLeftPadded(Tensor input, Tensor attentionMask) => Run(input, attentionMask, leftPadded: true);

    private Tensor Run(Tensor input, Tensor attentionMask, bool leftPadded)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var seq = input.shape[1];
        var device = input.device;

        // 1.
        var x = _embedTokens.call(input);

        // 2. ([seq, head_dim], or [batch, 1, seq, head_dim] per row when left-padded; both broadcast over the heads)
        var (cosTable, sinTable) = RotaryEmbedding.Tables(_config, (int)seq);
        var cos = tensor(cosTable, [seq, _config.HeadDim]).to(x.dtype, device);
        var sin = tensor(sinTable, [seq, _config.HeadDim]).to(x.dtype, device);
        if (leftPadded)
        {
            var rowPositions = attentionMask.ne(0).to(ScalarType.Int64).cumsum(1).sub(1).clamp_min(0).flatten();
            cos = cos.index_select(0, rowPositions).view(batch, 1, seq, _config.HeadDim);
            sin = sin.index_select(0, rowPositions).view(batch, 1, seq, _config.HeadDim);
        }

        // 3. (stored inverted: true = hidden, what masked_fill takes)
        var positions = arange(seq, dtype: ScalarType.Int64, device: device);
        var causal = positions.unsqueeze(0).le(positions.unsqueeze(1));
        var realKeys = attentionMask.ne(0).unsqueeze(1).unsqueeze(2);
        var hidden = causal.logical_and(realKeys).logical_not();

        // 4.
        foreach (var layer in _layers)
        {
            x = layer.call(x, cos, sin, hidden);
        }

        return _norm.call(x).MoveToOuterDisposeScope();
    }
}
