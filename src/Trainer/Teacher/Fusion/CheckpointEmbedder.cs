using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;

namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>A bi-encoder checkpoint (<see cref="BiEncoderCheckpoint"/>) as a fusion feature: the encoder's own pooling, prefixes and limit.</summary>
internal sealed class CheckpointEmbedder : ITextEmbedder, IDisposable
{
    private readonly BiEncoderCheckpoint _settings;
    private readonly BiEncoder _encoder;

    private CheckpointEmbedder(string name, BiEncoderCheckpoint settings, BiEncoder encoder)
    {
        Name = name;
        _settings = settings;
        _encoder = encoder;
    }

    public string Name { get; }

    /// <summary>What the report says about the encoder: its folder and the settings taken.</summary>
    public string Description => $"{Name}: {_settings.Origin}";

    /// <summary>Opens the BERT checkpoint in <paramref name="directory"/>; its name is the folder's.</summary>
    /// <exception cref="InvalidDataException">The checkpoint cannot be read or is not BERT; the message names the file.</exception>
    public static CheckpointEmbedder Open(string directory)
    {
        var (settings, encoder) = BiEncoderCheckpoint.Open(directory, pooling: null, new StudentModelOptions { PreferGpu = false }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var name = Path.GetFileName(settings.Checkpoint.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        return new CheckpointEmbedder(name, settings, encoder);
    }

    public float[][] Encode(IReadOnlyList<string> texts, bool queries, CancellationToken cancellationToken)
    {
        var flat = _encoder.Encode(texts, queries ? _settings.QueryLimits : _settings.PassageLimits, cancellationToken);
        var dim = _encoder.Dim;
        return [.. Enumerable.Range(0, texts.Count).Select(i => flat.AsSpan(i * dim, dim).ToArray())];
    }

    public void Dispose() => _encoder.Dispose();
}
