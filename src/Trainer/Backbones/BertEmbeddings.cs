using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>
/// <c>embeddings</c>: HF's <c>BertEmbeddings</c> in evaluation form. <c>word_embeddings[id] + position_embeddings[t] +
/// token_type_embeddings[0]</c> for positions <c>t = 0 .. seq - 1</c> (what HF uses without <c>position_ids</c>) and
/// token type 0 for every token (one text, no <c>token_type_ids</c>), then <c>LayerNorm</c>. Dropout is not applied.
/// </summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "word_embeddings")]
    private readonly TokenEmbedding _wordEmbeddings;

    [ComponentName(Name = "position_embeddings")]
    private readonly TokenEmbedding _positionEmbeddings;

    [ComponentName(Name = "token_type_embeddings")]
    private readonly TokenEmbedding _tokenTypeEmbeddings;

    [ComponentName(Name = "LayerNorm")]
    private readonly BertLayerNorm _layerNorm;

    public BertEmbeddings(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(BertEmbeddings))
    {
        _wordEmbeddings = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        _positionEmbeddings = new TokenEmbedding(config.MaxPositionEmbeddings, config.HiddenSize, dtype, device);
        _tokenTypeEmbeddings = new TokenEmbedding(config.TypeVocabSize, config.HiddenSize, dtype, device);
        _layerNorm = new BertLayerNorm(config.HiddenSize, config.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    /// <param name="input">int64 token ids <c>[batch, seq]</c>.</param>
    /// <returns><c>[batch, seq, hidden]</c> in the model's dtype.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var seq = input.shape[1];
        var positions = arange(seq, dtype: ScalarType.Int64, device: input.device);
        var typeZero = zeros(1, dtype: ScalarType.Int64, device: input.device);
        var x = _wordEmbeddings.call(input) + _positionEmbeddings.call(positions).unsqueeze(0) + _tokenTypeEmbeddings.call(typeZero);
        return _layerNorm.call(x).MoveToOuterDisposeScope();
    }
}
