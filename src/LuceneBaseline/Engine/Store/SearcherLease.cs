using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>A searcher borrowed from an index; dispose it to release the reader.</summary>
internal sealed class SearcherLease : IDisposable
{
    private readonly Action _release;

    public SearcherLease(SearchTarget target, Action release)
    {
        Target = target;
        _release = release;
    }

    public SearchTarget Target { get; }

    public void Dispose() => _release();
}
