using Rerank.Model.Runtime;

namespace Rerank.IngestPipeline.Encoding;

/// <summary>The student's passage side as an <see cref="IPassageEncoder"/>. Does not own (or dispose) the model.</summary>
public sealed class StudentPassageEncoder(StudentModel model) : IPassageEncoder
{
    public string ModelId => model.ModelId;

    public int Dim => model.Dim;

    public int ProjectionDim => model.ProjectionDim;

    public PassageEncoding Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        model.EncodePassages(texts, cancellationToken);
}
