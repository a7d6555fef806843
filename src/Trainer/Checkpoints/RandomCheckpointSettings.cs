using Rerank.Model.Checkpoints;
using Rerank.Model.Architecture;

namespace Rerank.Trainer.Checkpoints;

/// <summary>
/// A tiny, randomly initialised checkpoint of a real architecture (<c>rerank-train init-checkpoint</c>), for tests
/// and demos where no pretrained weights are at hand. The shape and vocabulary are src/Model's
/// <see cref="RandomDecoderShape"/> (shared with <c>rerank model init</c>); stored in float32 by default.
/// </summary>
internal sealed record RandomCheckpointSettings : RandomDecoderShape
{
    /// <summary><c>max_position_embeddings</c>.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    public bool TieWordEmbeddings { get; init; }

    /// <summary>The stored precision (<c>torch_dtype</c>); values are drawn in float32 and rounded.</summary>
    public SafetensorsDtype Dtype { get; init; } = SafetensorsDtype.F32;

    /// <summary>Shard the weights into files of at most this many bytes; null (default) writes one model.safetensors.</summary>
    public long? ShardBytes { get; init; }
}
