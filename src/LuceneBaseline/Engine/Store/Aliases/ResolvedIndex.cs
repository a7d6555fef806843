using Rerank.LuceneBaseline.Engine.Search.Queries;

namespace Rerank.LuceneBaseline.Engine.Store.Aliases;

/// <summary>
/// An index an expression resolved to, with the alias filters a search of it must apply: empty when the index was
/// named directly or reached through an alias without a filter, else the filters of the aliases it was reached
/// through (a document matching any of them is searched).
/// </summary>
internal sealed record ResolvedIndex(EngineIndex Index, IReadOnlyList<QueryNode> Filters);
