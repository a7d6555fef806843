namespace Rerank.LuceneBaseline.Beir;

/// <summary>One query of a BEIR collection.</summary>
public sealed record BeirQuery(string Id, string Text);
