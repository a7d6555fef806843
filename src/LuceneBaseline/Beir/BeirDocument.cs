namespace Rerank.LuceneBaseline.Beir;

/// <summary>One corpus document of a BEIR collection.</summary>
/// <param name="Id">The <c>_id</c>; never empty.</param>
/// <param name="Title">The title; empty when the line has none.</param>
/// <param name="Text">The body text.</param>
public sealed record BeirDocument(string Id, string Title, string Text);
