using System.CommandLine;

namespace Rerank.Cli.Ingest;

/// <summary>The options every <c>rerank ingest</c> command shares.</summary>
internal static class IngestOptions
{
    public static Option<string> Cluster() =>
        new("--cluster") { Description = "The cluster's URL (http(s)://[user:password@]host:port): Elasticsearch, the sidecar or `rerank engine`.", Required = true };

    public static Option<string> Index() =>
        new("--index") { Description = "The index name.", Required = true };
}
