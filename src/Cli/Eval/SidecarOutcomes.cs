namespace Rerank.Cli.Eval;

/// <summary>What the sidecar said about each reranked answer (its <c>X-Rerank</c> header).</summary>
/// <param name="Url">The sidecar's base URL.</param>
/// <param name="Index">The index or alias searched.</param>
/// <param name="ByHeader">Answers by <c>X-Rerank</c> value (<c>applied</c>, <c>fallback:timeout</c>, ...; <c>none</c> when absent).</param>
/// <param name="NotApplied">Query id and header of every reranked answer that was not <c>applied</c>, in query order.</param>
/// <param name="ModelIds">The distinct <c>X-Rerank-Model</c> values of applied answers.</param>
internal sealed record SidecarOutcomes(
    string Url,
    string Index,
    IReadOnlyDictionary<string, int> ByHeader,
    IReadOnlyList<(string QueryId, string Header)> NotApplied,
    IReadOnlyList<string> ModelIds)
{
    public int Applied => ByHeader.TryGetValue("applied", out var n) ? n : 0;

    public int Fallback => ByHeader.Where(h => h.Key.StartsWith("fallback:", StringComparison.Ordinal)).Sum(h => h.Value);

    public int Skipped => ByHeader.Where(h => h.Key.StartsWith("skipped:", StringComparison.Ordinal)).Sum(h => h.Value);
}
