namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>One entry of <c>highlight.fields</c>: a field name or pattern (<c>*</c>) and its own options.</summary>
internal sealed record HighlightField(string Name, HighlightOptions Options);
