namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The <c>result</c> of a write, as Elasticsearch names it (<c>created</c>, <c>updated</c>, ...).</summary>
internal enum WriteOutcome
{
    Created,
    Updated,
    Deleted,
    NotFound,
    Noop,
}
