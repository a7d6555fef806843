using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Http;

/// <summary>How <see cref="EngineHost"/> runs the embedded engine.</summary>
public sealed record EngineHostOptions
{
    /// <summary>Where the indices live; created when missing. Required.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The URLs Kestrel listens on. Default <c>http://127.0.0.1:9200</c>; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:9200"];

    /// <summary>The largest request body accepted (<c>http.max_content_length</c>), in bytes. Default 100 MiB, as Elasticsearch.</summary>
    public long MaxContentLength { get; init; } = 100L * 1024 * 1024;

    /// <summary>Engine-wide index settings (auto-creation, default refresh interval).</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>
    /// The node name reported by <c>GET /</c>. Default (null): <c>rerank-</c> and eight hex digits derived from the
    /// data directory's full path, stable across restarts and free of the host's name.
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>The cluster name reported by <c>GET /</c> and <c>_cluster/health</c>.</summary>
    public string ClusterName { get; init; } = "rerank-embedded";
}
