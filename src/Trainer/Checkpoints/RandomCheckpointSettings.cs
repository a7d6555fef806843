using Rerank.Model.Architecture;

namespace Rerank.Trainer.Checkpoints;

/// <summary>
/// A tiny, randomly initialised checkpoint of a real architecture (<c>rerank-train init-checkpoint</c>), for tests
/// and demos where no pretrained weights are at hand. Defaults: a 2-layer LLaMA of width 64 in float32.
/// </summary>
public sealed record RandomCheckpointSettings
{
    public DecoderArchitecture Architecture { get; init; } = DecoderArchitecture.Llama;

    public int Layers { get; init; } = 2;

    public int Hidden { get; init; } = 64;

    public int Heads { get; init; } = 4;

    public int KeyValueHeads { get; init; } = 2;

    /// <summary>The MLP width; 0 (default) means three times <see cref="Hidden"/>.</summary>
    public int Intermediate { get; init; }

    /// <summary><c>max_position_embeddings</c>.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    public bool TieWordEmbeddings { get; init; }

    /// <summary>Texts to build the WordPiece vocabulary from, or null for printable ASCII characters (any English text, letter by letter).</summary>
    public IEnumerable<string>? VocabularyTexts { get; init; }

    /// <summary>The vocabulary's size limit when built from texts.</summary>
    public int VocabularySize { get; init; } = 8000;

    /// <summary>The seed: the same settings give byte-identical files, and the same values as src/Model's <see cref="DecoderWeights.CreateRandom"/>.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The stored precision (<c>torch_dtype</c>); values are drawn in float32 and rounded.</summary>
    public SafetensorsDtype Dtype { get; init; } = SafetensorsDtype.F32;

    /// <summary>Shard the weights into files of at most this many bytes; null (default) writes one model.safetensors.</summary>
    public long? ShardBytes { get; init; }
}
