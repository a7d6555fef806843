namespace Rerank.Trainer.Teacher.Fusion;

/// <summary>
/// One query's candidates for fitting or choosing the fusion: BM25's window and the query's positives, each with its
/// feature row (see <see cref="FusionFeatures"/>) and whether it is relevant.
/// </summary>
internal sealed record FusionQuery(string QueryId, IReadOnlyList<string> Candidates, IReadOnlyList<double[]> Features, IReadOnlyList<bool> Relevant);
