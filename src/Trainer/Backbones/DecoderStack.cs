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
/// 2. Positions <c>0 .. seq - 1</c> (what HF uses for a right-padded batch); cos and sin from
///    <see cref="RotaryEmbedding.Tables"/>, the ONNX graph's own tables, cast to the model's dtype.
/// 3. One mask <c>[batch, 1, seq, seq]</c> shared by every layer: key j is visible to query i iff j &lt;= i and
///    <c>attention_mask[j] != 0</c>.
/// 4. The layers, then the final RMSNorm (<c>norm</c>).
/// </remarks>
internal sealed class DecoderStack : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly DecoderConfig _config;

    [ComponentName(Name = "embed_tokens")]
    private readonly TokenEmbedding _embedTokens;

    [ComponentName(Name = "layers")]
    private readonly ModuleList<DecoderLayer> _layers;

    [ComponentName(Name = "norm")]
    private readonly RmsNorm _norm;

    public DecoderStack(DecoderConfig config, ScalarType dtype, Device device) : base(nameof(DecoderStack))
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
    public override Tensor forward(Tensor input, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var seq = input.shape[1];
        var device = input.device;

        // 1.
        var x = _embedTokens.call(input);

        // 2.
        var (cosTable, sinTable) = RotaryEmbedding.Tables(_config, (int)seq);
        var cos = tensor(cosTable, [seq, _config.HeadDim]).to(x.dtype, device);
        var sin = tensor(sinTable, [seq, _config.HeadDim]).to(x.dtype, device);

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
