using Rerank.IngestPipeline.Encoding;
using Rerank.Model.Runtime;

namespace Rerank.Sidecar.FunctionalTests.Writes;

/// <summary>A real encoder whose calls are counted by <see cref="FaultyEncoderSource"/>, which may make one throw.</summary>
internal sealed class CountingEncoder(IPassageEncoder inner, FaultyEncoderSource source) : IPassageEncoder
{
    public string ModelId => inner.ModelId;

    public int Dim => inner.Dim;

    public int ProjectionDim => inner.ProjectionDim;

    public PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (source.Record(texts))
        {
            throw new InvalidOperationException("injected model failure");
        }

        source.Gate.Wait(cancellationToken);
        return inner.Encode(texts, cancellationToken);
    }
}
