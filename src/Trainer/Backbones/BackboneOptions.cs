using static TorchSharp.torch;

namespace Rerank.Trainer.Backbones;

/// <summary>Where a backbone (<see cref="DecoderModel"/>, <see cref="BertModel"/>) lives and in which precision.</summary>
internal sealed record BackboneOptions
{
    /// <summary>
    /// The parameters' element type: float32 (default), bfloat16 or float16. Checkpoint tensors are converted to it on
    /// load (exactly, to float32; rounded to nearest-even otherwise). RMSNorm statistics, LayerNorm and softmax run in float32
    /// whatever this is, as in Hugging Face.
    /// </summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float32;

    /// <summary>The device of the parameters; null (default) means the CPU.</summary>
    public Device? Device { get; init; }
}
