using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>embed_tokens</c>: rows of <c>weight [vocab, hidden]</c> by token id.</summary>
internal sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    public TokenEmbedding(long vocabSize, long hidden, ScalarType dtype, Device device) : base(nameof(TokenEmbedding))
    {
        _weight = new Parameter(zeros(vocabSize, hidden, dtype: dtype, device: device));
        RegisterComponents();
    }

    /// <summary>The table, <c>[vocab, hidden]</c>; a tied LM head multiplies by it too.</summary>
    public Parameter Weight => _weight;

    /// <param name="input">int64 token ids of any shape.</param>
    /// <returns>The rows, shape <c>input.shape + [hidden]</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        long[] shape = [.. input.shape, _weight.shape[1]];
        return _weight.index_select(0, input.reshape(-1)).reshape(shape).MoveToOuterDisposeScope();
    }
}
