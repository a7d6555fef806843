using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Encoding;

/// <summary>One text's result from <see cref="BatchingEncoder"/>: its vectors, or the stale reason it gets instead.</summary>
internal readonly record struct EncodeOutcome
{
    private EncodeOutcome(PassageEncoding? encoding, int index, string? staleReason)
    {
        Encoding = encoding;
        Index = index;
        StaleReason = staleReason;
    }

    /// <summary>The batch the vectors are in (row <see cref="Index"/>), or null when <see cref="StaleReason"/> is set.</summary>
    public PassageEncoding? Encoding { get; }

    public int Index { get; }

    /// <summary>A <see cref="Contracts.StaleReason"/> value, or null when the text was encoded.</summary>
    public string? StaleReason { get; }

    public bool Succeeded => Encoding is not null;

    public ReadOnlyMemory<float> Projection => Encoding!.Projection(Index);

    public ReadOnlyMemory<float> Embedding => Encoding!.Embedding(Index);

    public static EncodeOutcome Encoded(PassageEncoding encoding, int index) => new(encoding, index, null);

    public static EncodeOutcome Stale(string reason) => new(null, 0, reason);
}
