namespace Rerank.LuceneBaseline.Engine.Mapping;

/// <summary>One of Elasticsearch's built-in date formats: the pattern that prints and the patterns tried in order to parse.</summary>
internal sealed record NamedDateFormat(DatePattern Printer, DatePattern[] Parsers);
