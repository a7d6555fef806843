using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// <c>self_attn</c>: HF's <c>LlamaAttention</c> / <c>Qwen2Attention</c> without a cache. q/k/v projections (with biases for
/// Qwen2), RoPE on q and k, grouped-query attention by repeating each key/value head for its group of query heads
/// (HF's <c>repeat_kv</c>), softmax in float32 under the visibility mask, <c>o_proj</c>.
/// </summary>
internal sealed class DecoderAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>, IProjectionHost
{
    private static readonly string[] Names = ["q_proj", "k_proj", "v_proj", "o_proj"];

    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    [ComponentName(Name = "q_proj")]
    private nn.Module<Tensor, Tensor> _qProj;

    [ComponentName(Name = "k_proj")]
    private nn.Module<Tensor, Tensor> _kProj;

    [ComponentName(Name = "v_proj")]
    private nn.Module<Tensor, Tensor> _vProj;

    [ComponentName(Name = "o_proj")]
    private nn.Module<Tensor, Tensor> _oProj;

    public DecoderAttention(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(DecoderAttention))
    {
        _heads = config.NumHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        var d = config.HiddenSize;
        _qProj = Projections.Create(d, _heads * _headDim, config.AttentionBias, dtype, device);
        _kProj = Projections.Create(d, _kvHeads * _headDim, config.AttentionBias, dtype, device);
        _vProj = Projections.Create(d, _kvHeads * _headDim, config.AttentionBias, dtype, device);
        _oProj = Projections.Create(_heads * _headDim, d, bias: false, dtype, device);
        RegisterComponents();
    }

    public IReadOnlyList<string> ProjectionNames => Names;

    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "q_proj" => _qProj,
        "k_proj" => _kProj,
        "v_proj" => _vProj,
        "o_proj" => _oProj,
        _ => throw Projections.Unknown(name, this),
    };

    public void SetProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        switch (name)
        {
            case "q_proj": _qProj = replacement; break;
            case "k_proj": _kProj = replacement; break;
            case "v_proj": _vProj = replacement; break;
            case "o_proj": _oProj = replacement; break;
            default: throw Projections.Unknown(name, this);
        }

        // In place: the module keeps its position, so parameters stay in forward order.
        _internal_submodules[name] = replacement;
    }

    /// <param name="input">The normed hidden states <c>[batch, seq, hidden]</c>.</param>
    /// <param name="cos">RoPE cos <c>[seq, head_dim]</c>, or per row <c>[batch, 1, seq, head_dim]</c> (left padding), in the input's dtype.</param>
    /// <param name="sin">RoPE sin, shaped as <paramref name="cos"/>.</param>
    /// <param name="hidden">bool <c>[batch, 1, seq, seq]</c>: true where key j is hidden from query i.</param>
    public override Tensor forward(Tensor input, Tensor cos, Tensor sin, Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var seq = input.shape[1];

        // [batch, seq, heads * head_dim] -> [batch, heads, seq, head_dim]
        Tensor SplitHeads(Tensor projected, int count) => projected.view(batch, seq, count, _headDim).transpose(1, 2);

        var q = Rope(SplitHeads(_qProj.call(input), _heads), cos, sin);
        var k = Rope(SplitHeads(_kProj.call(input), _kvHeads), cos, sin);
        var v = SplitHeads(_vProj.call(input), _kvHeads);
        if (_kvHeads != _heads)
        {
            var groups = _heads / _kvHeads;
            k = k.unsqueeze(2).expand(batch, _kvHeads, groups, seq, _headDim).reshape(batch, _heads, seq, _headDim);
            v = v.unsqueeze(2).expand(batch, _kvHeads, groups, seq, _headDim).reshape(batch, _heads, seq, _headDim);
        }

        // Hidden keys get the dtype's lowest finite value, as HF's eager attention (finfo.min): a row that saw no key
        // would average all values rather than become NaN. With right padding every row sees key 0; with left padding a pad
        // query before the first real token (and every query of a pure-pad row) sees none and averages, finite.
        var scores = q.matmul(k.transpose(-2, -1)) * (1 / Math.Sqrt(_headDim));
        // The Scalar is held in a local until the call returns: an implicit temporary can be finalized by the GC while
        // libtorch still reads it (seen once in a parallel test run as a "toFloat" check failure inside masked_fill).
        using TorchSharp.Scalar lowest = LowestFinite(scores.dtype);
        scores = scores.masked_fill(hidden, lowest);
        var probabilities = scores.softmax(-1, ScalarType.Float32).to(q.dtype);
        var context = probabilities.matmul(v).transpose(1, 2).reshape(batch, seq, _heads * _headDim);
        return _oProj.call(context).MoveToOuterDisposeScope();
    }

    /// <summary>HF's apply_rotary_pos_emb: x * cos + rotate_half(x) * sin, rotate_half([x1, x2]) = [-x2, x1] over the halves.</summary>
    private Tensor Rope(Tensor x, Tensor cos, Tensor sin)
    {
        var half = _headDim / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return (x * cos) + (rotated * sin);
    }

    private static double LowestFinite(ScalarType dtype) => dtype switch
    {
        ScalarType.BFloat16 => -3.3895313892515355e38, // -(2 - 2^-7) * 2^127
        ScalarType.Float16 => -65504,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };
}
