using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>The index settings the engine understands.</summary>
public sealed record IndexSettings
{
    public int NumberOfShards { get; init; } = 1;

    public int NumberOfReplicas { get; init; } = 1;

    /// <summary><c>index.max_result_window</c>: the largest <c>from + size</c> a search may ask for. Default 10,000.</summary>
    public int MaxResultWindow { get; init; } = 10_000;

    /// <summary><c>index.refresh_interval</c>; null means the engine default; <see cref="Timeout.InfiniteTimeSpan"/> is <c>-1</c> (off).</summary>
    public TimeSpan? RefreshInterval { get; init; }

    /// <summary>The settings as <c>GET /&lt;index&gt;/_settings</c> shows them (the <c>index</c> object).</summary>
    public JsonObject ToJson() => throw new NotImplementedException();
}
