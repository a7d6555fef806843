namespace Rerank.LuceneBaseline.Pairs;

/// <summary>One line of a sentence-pair file (STS-B, SICK, OCNLI layout).</summary>
/// <param name="Id">The pair's id (an integer id is kept as its decimal text).</param>
/// <param name="Text1">The first sentence (the premise for NLI sets).</param>
/// <param name="Text2">The second sentence (the hypothesis for NLI sets).</param>
/// <param name="Label">The class label (for example <c>entailment</c>, <c>neutral</c>, <c>contradiction</c>), or null when absent.</param>
/// <param name="Score">The graded similarity (STS-B 0-5, SICK relatedness 1-5), or null when absent; always finite.</param>
public sealed record SentencePair(string Id, string Text1, string Text2, string? Label, double? Score);
