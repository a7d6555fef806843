namespace Rerank.LuceneBaseline.Engine.Search.Highlight;

/// <summary>A parsed <c>highlight</c> section of <c>_search</c> (<see cref="HighlightParser"/>).</summary>
/// <param name="Fields">The fields in request order.</param>
/// <param name="Options">The top-level options every field inherits.</param>
/// <param name="HtmlEncoder"><c>encoder: html</c>: the text around the tags is HTML-escaped.</param>
internal sealed record HighlightSpec(IReadOnlyList<HighlightField> Fields, HighlightOptions Options, bool HtmlEncoder);
