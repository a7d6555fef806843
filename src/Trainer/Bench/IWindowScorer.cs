namespace Rerank.Trainer.Bench;

/// <summary>The teacher side of <c>bench runtime</c>: cross-encodes one query with every passage of its window.</summary>
internal interface IWindowScorer : IDisposable
{
    /// <summary>What the report names as the teacher (checkpoint path, prompt, device).</summary>
    string Description { get; }

    /// <summary>One logit per passage, input order; everything the teacher computes for the window happens inside this call.</summary>
    float[] Score(string query, IReadOnlyList<string> passages);
}
