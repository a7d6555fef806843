using Rerank.LuceneBaseline.Engine.Search;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// A searcher borrowed from an index; dispose it to release the reader (once; further disposes do nothing). The
/// reader stays usable until then, even if the index is closed or deleted meanwhile.
/// </summary>
internal sealed class SearcherLease : IDisposable
{
    private Action? _release;

    public SearcherLease(SearchTarget target, Action release)
    {
        Target = target;
        _release = release;
    }

    public SearchTarget Target { get; }

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
