namespace Rerank.LuceneBaseline.Engine.Search.Queries;

/// <summary>One token of analysed query text and its position (0-based, position increments applied).</summary>
internal readonly record struct AnalyzedToken(string Term, int Position);
