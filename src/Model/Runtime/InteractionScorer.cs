using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using static Rerank.Model.Graphs.StudentGraphNames;

namespace Rerank.Model.Runtime;

/// <summary>
/// The factorised IEM at run time: passage projections (at ingest) and K-candidate scoring (at query time), one
/// ONNX Runtime session each. Thread-safe: sessions allow concurrent runs and no state is kept between calls.
/// </summary>
/// <remarks>
/// Inputs and outputs are wrapped in place (OrtValue over the caller's memory): scoring copies nothing and allocates
/// only the small OrtValue handles per call.
/// </remarks>
internal sealed class InteractionScorer : IDisposable
{
    private static readonly string[] ProjectionInputs = [Embedding];
    private static readonly string[] ProjectionOutputs = [Projection];
    private static readonly string[] ScorerInputs = [QueryEmbedding, PassageProjections, Branch];
    private static readonly string[] ScorerOutputs = [Logits];
    private static readonly long[] ScalarShape = [];

    private readonly InferenceSession _projection;
    private readonly InferenceSession _scorer;
    private readonly OrtValue[] _branches;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _queryShape;

    public InteractionScorer(InferenceSession projection, InferenceSession scorer, int dim, int hidden)
    {
        _projection = projection;
        _scorer = scorer;
        Dim = dim;
        Hidden = hidden;
        _queryShape = [1, dim];
        _branches = [OrtValue.CreateTensorValueFromMemory(new long[] { 0 }, ScalarShape), OrtValue.CreateTensorValueFromMemory(new long[] { 1 }, ScalarShape)];
    }

    public int Dim { get; }

    public int Hidden { get; }

    /// <summary>Writes u_p for <paramref name="count"/> embeddings (<c>count * Dim</c> floats) into <paramref name="projections"/> (<c>count * Hidden</c>).</summary>
    public void Project(ReadOnlyMemory<float> embeddings, int count, Memory<float> projections)
    {
        Check(embeddings.Length, count * Dim, "embeddings");
        Check(projections.Length, count * Hidden, "projections");
        if (count == 0)
        {
            return;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(embeddings), [count, Dim]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, projections, [count, Hidden]);
        _projection.Run(_runOptions, ProjectionInputs, [input], ProjectionOutputs, [output]);
    }

    /// <summary>Writes one logit per candidate into <paramref name="logits"/>, in candidate order.</summary>
    public void Score(ReadOnlyMemory<float> queryEmbedding, ReadOnlyMemory<float> projections, int count, StudentBranch branch, Memory<float> logits)
    {
        Check(queryEmbedding.Length, Dim, "queryEmbedding");
        Check(projections.Length, count * Hidden, "projections");
        Check(logits.Length, count, "logits");
        if (!Enum.IsDefined(branch))
        {
            throw new ArgumentOutOfRangeException(nameof(branch), branch, "Unknown branch.");
        }

        if (count == 0)
        {
            return;
        }

        using var query = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(queryEmbedding), _queryShape);
        using var candidates = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(projections), [count, Hidden]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits, [count]);
        _scorer.Run(_runOptions, ScorerInputs, [query, candidates, _branches[(int)branch]], ScorerOutputs, [output]);
    }

    public void Dispose()
    {
        foreach (var value in _branches)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _projection.Dispose();
        _scorer.Dispose();
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} holds {actual} floats; {expected} expected.", name);
        }
    }
}
