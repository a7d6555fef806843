using System.Text.Json.Nodes;
using Rerank.LuceneBaseline.Engine.Mapping;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>One index of the embedded engine: its Lucene index on disk, mapping, settings and document versions.</summary>
public sealed class EngineIndex : IDisposable
{
    private EngineIndex()
    {
    }

    public string Name => throw new NotImplementedException();

    public string Uuid => throw new NotImplementedException();

    public DateTimeOffset CreationDate => throw new NotImplementedException();

    public IndexSettings Settings => throw new NotImplementedException();

    public IndexMapping Mapping => throw new NotImplementedException();

    public long DocumentCount => throw new NotImplementedException();

    public long DeletedDocumentCount => throw new NotImplementedException();

    public long StoreSizeBytes => throw new NotImplementedException();

    public IndexMapping PutMapping(JsonObject body) => throw new NotImplementedException();

    public WriteResult Index(string? id, JsonObject source, WriteOptions options) => throw new NotImplementedException();

    public WriteResult Delete(string id, WriteOptions options) => throw new NotImplementedException();

    public WriteResult Update(string id, UpdateRequest request, WriteOptions options) => throw new NotImplementedException();

    public GetResult Get(string id) => throw new NotImplementedException();

    public void Commit() => throw new NotImplementedException();

    public void Refresh() => throw new NotImplementedException();

    public Task WaitForRefreshAsync(long seqNo, CancellationToken cancellationToken) => throw new NotImplementedException();

    internal SearcherLease AcquireSearcher() => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
