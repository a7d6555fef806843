using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Rerank.LuceneBaseline.Engine.Store;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.Tests.Store;

/// <summary>A temporary data directory and a fake clock (refresh timers fire only when a test advances it).</summary>
internal sealed class StoreTestContext : IDisposable
{
    private readonly TempDirectory _temp = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public string DataDirectory => _temp.Path;

    public static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    public IndexCatalog OpenCatalog(EngineOptions? options = null) => new(DataDirectory, options ?? new EngineOptions(), Time);

    public void Dispose() => _temp.Dispose();
}
