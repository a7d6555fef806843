using Rerank.IngestPipeline.Encoding;
using Rerank.Sidecar.Search;

namespace Rerank.Sidecar.Hosting;

/// <summary>How <see cref="SidecarHost"/> runs. Checked at start with every problem reported at once.</summary>
public sealed record SidecarOptions
{
    /// <summary>The cluster (or embedded engine) every request goes to, e.g. <c>http://127.0.0.1:9200</c>. Required; http or https.</summary>
    public required Uri Upstream { get; init; }

    /// <summary>The URLs the sidecar listens on. Default <c>http://127.0.0.1:9201</c>; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:9201"];

    /// <summary>Where model bundles live (the directory itself, or one bundle per subdirectory); null serves no models.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>How long an index's <c>_meta.rerank</c> is cached. Default 30 s; zero disables the cache.</summary>
    public TimeSpan IndexConfigTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="ModelsDirectory"/> is checked for changed bundles. Default 5 s.</summary>
    public TimeSpan ModelPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening a connection to the upstream may take before the request fails (503). Default 5 s.</summary>
    public TimeSpan UpstreamConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a forwarded request may wait for the upstream between two reads or writes (YARP's activity timeout)
    /// before it fails (504). Default 100 s, YARP's; a long search that streams nothing for longer needs more.
    /// </summary>
    public TimeSpan UpstreamActivityTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long the sidecar's own requests to the upstream (mapping lookups) may take. Default 10 s.</summary>
    public TimeSpan UpstreamRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long <c>/_rerank/health</c> waits for the upstream's <c>GET /</c>. Default 2 s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The largest mapping or index-creation body read to check its <c>_meta.rerank</c>, in bytes; a larger one is
    /// answered 413. Default 100 MiB, Elasticsearch's <c>http.max_content_length</c>.
    /// </summary>
    public long MaxValidatedBodyBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>How the write path batches passages into the models and bounds what a write may hold (docs/write-path.md).</summary>
    public EncodingOptions Encoding { get; init; } = new();

    /// <summary>Bounds and policies of the search path (docs/search.md).</summary>
    public SearchOptions Search { get; init; } = new();
}
