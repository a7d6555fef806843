using Rerank.Model.Architecture;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Student;

/// <summary>
/// <c>pma</c>: pooling by multi-head attention, hidden states <c>[batch, seq, d]</c> to one vector <c>[batch, d]</c>, the
/// same computation as src/Model's <c>PmaGraph</c> (docs/model-graphs.md, "PMA").
/// </summary>
/// <remarks>
/// D2LLM.md section 2, one learnable seed S in R^d, h heads of width d_h = d / h:
/// 1. Q = fc_q(S), K = fc_k(X), V = fc_v(X).
/// 2. Per head, A = softmax(Q_h K_h^T / sqrt(d) + (1 - mask) * -1e9) over the sequence, then A * mask again (the
///    official code's re-multiplication). The scale is sqrt(d), not sqrt(d_h).
/// 3. O = concat_h(A V_h), no output projection; H = LN0(S + O), the residual adds the raw seed.
/// 4. out = LN1(H + ReLU(fc_o(H))), not normalised.
/// Parameters are float32 and named as <see cref="StudentHeadNames"/> without the <c>pma.</c> prefix. Not thread-safe.
/// </remarks>
internal sealed class Pma : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Added to the scores of padded keys, as the ONNX graph does: finite, so no row becomes NaN.</summary>
    private const float MaskedScore = -1e9f;

    private readonly long _dim;
    private readonly long _heads;

    [ComponentName(Name = "seed")]
    private readonly Parameter _seed;

    [ComponentName(Name = "fc_q")]
    private readonly Linear _fcQ;

    [ComponentName(Name = "fc_k")]
    private readonly Linear _fcK;

    [ComponentName(Name = "fc_v")]
    private readonly Linear _fcV;

    [ComponentName(Name = "ln0")]
    private readonly LayerNorm _ln0;

    [ComponentName(Name = "fc_o")]
    private readonly Linear _fcO;

    [ComponentName(Name = "ln1")]
    private readonly LayerNorm _ln1;

    /// <summary>A PMA of <paramref name="config"/>'s width and heads; every parameter is zero (norm weights one) until loaded.</summary>
    public Pma(StudentHeadsConfig config, Device device) : base(nameof(Pma))
    {
        ArgumentNullException.ThrowIfNull(config);
        _dim = config.Dim;
        _heads = config.PmaHeads;
        _seed = new Parameter(zeros(_dim, dtype: ScalarType.Float32, device: device));
        _fcQ = StudentHeads.ZeroLinear(_dim, _dim, device);
        _fcK = StudentHeads.ZeroLinear(_dim, _dim, device);
        _fcV = StudentHeads.ZeroLinear(_dim, _dim, device);
        _ln0 = nn.LayerNorm(_dim, config.LayerNormEps, device: device, dtype: ScalarType.Float32);
        _fcO = StudentHeads.ZeroLinear(_dim, _dim, device);
        _ln1 = nn.LayerNorm(_dim, config.LayerNormEps, device: device, dtype: ScalarType.Float32);
        RegisterComponents();
    }

    /// <param name="hidden">float32 <c>[batch, seq, d]</c>: the backbone's last hidden state.</param>
    /// <param name="attentionMask"><c>[batch, seq]</c>, nonzero for real tokens and 0 for padding.</param>
    /// <returns>The pooled vectors y^agg, float32 <c>[batch, d]</c>.</returns>
    public override Tensor forward(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var seq = hidden.shape[1];
        var headDim = _dim / _heads;

        // Step 1.
        var seed = _seed.unsqueeze(0); // [1, d]
        var q = _fcQ.call(seed).view(_heads, 1, headDim); // [h, 1, dh]
        var k = _fcK.call(hidden).view(batch, seq, _heads, headDim).permute(0, 2, 3, 1); // [b, h, dh, s]
        var v = _fcV.call(hidden).view(batch, seq, _heads, headDim).transpose(1, 2); // [b, h, s, dh]

        // Step 2.
        var scores = q.matmul(k).mul(1 / Math.Sqrt(_dim)); // [b, h, 1, s]
        var mask = attentionMask.ne(0).to(ScalarType.Float32).view(batch, 1, 1, seq);
        var attention = nn.functional.softmax(scores.add(mask.neg().add(1).mul(MaskedScore)), -1).mul(mask);

        // Step 3. [b, h, 1, dh] -> [b, d] keeps head-major order, which is concat_h.
        var pooled = attention.matmul(v).reshape(batch, _dim);
        var h = _ln0.call(seed.add(pooled));

        // Step 4.
        return _ln1.call(h.add(nn.functional.relu(_fcO.call(h)))).MoveToOuterDisposeScope();
    }
}
