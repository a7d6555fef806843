namespace Rerank.Trainer.Data;

/// <summary>
/// One training or held-out query of a <see cref="TrainingCorpus"/>: its relevant passages and any negatives the data
/// itself names (NLI contradictions); BM25 negatives are mined later (<c>rerank-train mine</c>).
/// </summary>
/// <param name="QueryId">The key into <see cref="TrainingCorpus.Queries"/>.</param>
/// <param name="Positives">Relevant passage ids (qrels score above 0, entailment hypotheses, STS pairs above the threshold), file order, at least one.</param>
/// <param name="GivenNegatives">Negatives named by the data (NLI contradictions), file order; empty for BEIR and STS.</param>
internal sealed record TrainingQuery(string QueryId, IReadOnlyList<string> Positives, IReadOnlyList<string> GivenNegatives);
