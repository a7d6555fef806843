namespace Rerank.LuceneBaseline.Beir;

public sealed record BeirQuery(string Id, string Text);
