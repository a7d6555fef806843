using TorchSharp.Utils;
using Rerank.Model.Architecture;
using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary><c>model.layers.N</c>: <c>x += self_attn(input_layernorm(x))</c>, then <c>x += mlp(post_attention_layernorm(x))</c>.</summary>
internal sealed class DecoderLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "input_layernorm")]
    private readonly RmsNorm _inputLayernorm;

    [ComponentName(Name = "self_attn")]
    private readonly DecoderAttention _selfAttn;

    [ComponentName(Name = "post_attention_layernorm")]
    private readonly RmsNorm _postAttentionLayernorm;

    [ComponentName(Name = "mlp")]
    private readonly DecoderMlp _mlp;

    public DecoderLayer(BackboneConfig config, ScalarType dtype, Device device) : base(nameof(DecoderLayer))
    {
        _inputLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _selfAttn = new DecoderAttention(config, dtype, device);
        _postAttentionLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _mlp = new DecoderMlp(config, dtype, device);
        RegisterComponents();
    }

    public DecoderAttention SelfAttention => _selfAttn;

    public DecoderMlp Mlp => _mlp;

    public override Tensor forward(Tensor input, Tensor cos, Tensor sin, Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = input + _selfAttn.call(_inputLayernorm.call(input), cos, sin, hidden);
        x = x + _mlp.call(_postAttentionLayernorm.call(x));
        return x.MoveToOuterDisposeScope();
    }
}
