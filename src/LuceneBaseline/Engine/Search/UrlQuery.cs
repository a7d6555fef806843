namespace Rerank.LuceneBaseline.Engine.Search;

/// <summary>The <c>q</c> URL parameter and the parameters that shape it.</summary>
/// <param name="Text">The query text.</param>
/// <param name="DefaultField"><c>df</c>, or null for every field (<c>index.query.default_field</c> is <c>*</c>).</param>
/// <param name="DefaultOperatorAnd"><c>default_operator=AND</c> (default OR).</param>
/// <param name="Lenient"><c>lenient</c>: values that do not parse for a field's type match nothing instead of failing.</param>
internal sealed record UrlQuery(string Text, string? DefaultField, bool DefaultOperatorAnd, bool Lenient);
