using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The engine's indices under one data directory.</summary>
public sealed class IndexCatalog : IDisposable
{
    public IndexCatalog(string dataDirectory, EngineOptions options, TimeProvider timeProvider) =>
        throw new NotImplementedException($"{dataDirectory}{options}{timeProvider}");

    public IReadOnlyCollection<EngineIndex> Indices => throw new NotImplementedException();

    public EngineIndex CreateIndex(string name, JsonObject? body) => throw new NotImplementedException();

    public IReadOnlyList<string> DeleteIndices(string expression) => throw new NotImplementedException();

    public EngineIndex GetIndex(string name) => throw new NotImplementedException();

    public bool TryGetIndex(string name, [NotNullWhen(true)] out EngineIndex? index) => throw new NotImplementedException();

    public EngineIndex GetOrCreateForWrite(string name) => throw new NotImplementedException();

    public IReadOnlyList<EngineIndex> Resolve(string expression, bool ignoreUnavailable = false, bool allowNoIndices = true) =>
        throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
