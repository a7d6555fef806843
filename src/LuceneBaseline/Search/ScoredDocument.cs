namespace Rerank.LuceneBaseline.Search;

/// <summary>One retrieved document: its corpus id and the score the ranker gave it.</summary>
/// <param name="DocumentId">The document's <c>_id</c> in the corpus.</param>
/// <param name="Score">The ranker's score; higher is better. Only the order matters across rankers.</param>
public readonly record struct ScoredDocument(string DocumentId, float Score);
