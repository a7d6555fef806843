namespace Rerank.Model.Runtime;

/// <summary>What ingest stores per passage: the pooled embedding (for kNN) and its projection u_p (for scoring), row-major.</summary>
public sealed record PassageEncoding(int Count, int Dim, int ProjectionDim, float[] Embeddings, float[] Projections)
{
    public ReadOnlyMemory<float> Embedding(int index) => Embeddings.AsMemory(index * Dim, Dim);

    public ReadOnlyMemory<float> Projection(int index) => Projections.AsMemory(index * ProjectionDim, ProjectionDim);
}
