using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Encoding;

/// <summary>
/// Encodes passages into what ingest stores (embedding and u_p). The seam between the write path and the student:
/// <see cref="StudentPassageEncoder"/> wraps a loaded <see cref="StudentModel"/>; tests wrap it to inject failures.
/// Implementations are thread-safe.
/// </summary>
public interface IPassageEncoder
{
    /// <summary>The model id stored with the vectors.</summary>
    string ModelId { get; }

    /// <summary>d, the embedding width.</summary>
    int Dim { get; }

    /// <summary>H, the projection width.</summary>
    int ProjectionDim { get; }

    /// <summary>Encodes <paramref name="texts"/> (input order); throws when the model fails.</summary>
    PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
