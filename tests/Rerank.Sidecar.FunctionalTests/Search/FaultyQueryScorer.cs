using Rerank.Model.Runtime;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.FunctionalTests.Search;

/// <summary>The registry's scorer, made to throw (<see cref="Throw"/>) or to be slow (<see cref="Delay"/>) on demand.</summary>
internal sealed class FaultyQueryScorer(IQueryScorer inner) : IQueryScorer
{
    private int _scoreCalls;
    private volatile bool _throw;

    /// <summary>Encoding throws while set.</summary>
    public bool Throw { get => _throw; set => _throw = value; }

    public TimeSpan Delay { get; set; }

    /// <summary>When set, rewrites the real model's logits (a model that answers infinities, say).</summary>
    public Func<float[], float[]>? MapLogits { get; set; }

    /// <summary>Scoring calls that reached the real model.</summary>
    public int ScoreCalls => Volatile.Read(ref _scoreCalls);

    public int? ProjectionDim(string modelId) => inner.ProjectionDim(modelId);

    public async Task<float[]> EncodeQueryAsync(string modelId, string text, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return Throw ? throw new InvalidOperationException("the test's model failure") : await inner.EncodeQueryAsync(modelId, text, cancellationToken);
    }

    public async Task<float[]> ScoreAsync(string modelId, float[] query, float[] projections, StudentBranch branch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _scoreCalls);
        var logits = await inner.ScoreAsync(modelId, query, projections, branch, cancellationToken);
        return MapLogits is { } map ? map(logits) : logits;
    }
}
