using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// <c>attention.self</c>: HF's <c>BertSelfAttention</c> (absolute positions, no cache): <c>query</c>, <c>key</c> and
/// <c>value</c> with biases, scaled dot products, the additive padding mask, softmax in float32, the heads' contexts
/// concatenated. The output projection is <c>attention.output.dense</c> (<see cref="BertOutput"/>).
/// </summary>
internal sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>, IProjectionHost
{
    private static readonly string[] Names = ["query", "key", "value"];

    private readonly int _heads;
    private readonly int _headDim;

    [ComponentName(Name = "query")]
    private nn.Module<Tensor, Tensor> _query;

    [ComponentName(Name = "key")]
    private nn.Module<Tensor, Tensor> _key;

    [ComponentName(Name = "value")]
    private nn.Module<Tensor, Tensor> _value;

    public BertSelfAttention(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertSelfAttention))
    {
        _heads = config.NumHeads;
        _headDim = config.HeadDim;
        var d = config.HiddenSize;
        _query = Projections.Create(d, d, bias: true, dtype, device);
        _key = Projections.Create(d, d, bias: true, dtype, device);
        _value = Projections.Create(d, d, bias: true, dtype, device);
        RegisterComponents();
    }

    public IReadOnlyList<string> ProjectionNames => Names;

    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "query" => _query,
        "key" => _key,
        "value" => _value,
        _ => throw Projections.Unknown(name, this),
    };

    public void SetProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        switch (name)
        {
            case "query": _query = replacement; break;
            case "key": _key = replacement; break;
            case "value": _value = replacement; break;
            default: throw Projections.Unknown(name, this);
        }

        _internal_submodules[name] = replacement;
    }

    /// <param name="input">The hidden states <c>[batch, seq, hidden]</c>.</param>
    /// <param name="additiveMask">float32 <c>[batch, 1, 1, seq]</c>: 0 for real keys, <c>float.MinValue</c> for padded ones.</param>
    /// <returns>The heads' contexts <c>[batch, seq, hidden]</c>, in the input's dtype.</returns>
    public override Tensor forward(Tensor input, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var batch = input.shape[0];
        var seq = input.shape[1];

        // [batch, seq, hidden] -> [batch, heads, seq, head_dim]
        Tensor SplitHeads(Tensor projected) => projected.view(batch, seq, _heads, _headDim).transpose(1, 2);

        var q = SplitHeads(_query.call(input));
        var k = SplitHeads(_key.call(input));
        var v = SplitHeads(_value.call(input));
        var scores = q.matmul(k.transpose(-2, -1)).to(ScalarType.Float32) * (1 / Math.Sqrt(_headDim));
        var probabilities = (scores + additiveMask).softmax(-1).to(q.dtype);
        return probabilities.matmul(v).transpose(1, 2).reshape(batch, seq, _heads * _headDim).MoveToOuterDisposeScope();
    }
}
