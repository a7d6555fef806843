namespace Rerank.LuceneBaseline.Beir;

public sealed record BeirDocument(string Id, string Title, string Text);
