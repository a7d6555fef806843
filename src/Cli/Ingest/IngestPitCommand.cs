using System.CommandLine;
using Rerank.IngestPipeline.Backfill;

namespace Rerank.Cli.Ingest;

/// <summary>
/// <c>rerank ingest pit</c>: refreshes the index and opens a point in time for the workers of a sliced backfill to
/// share (<c>--pit</c>); slices partition one snapshot, so workers with their own points in time could miss a document.
/// </summary>
internal static class IngestPitCommand
{
    public static Command Create()
    {
        var cluster = IngestOptions.Cluster();
        var index = IngestOptions.Index();
        var keepAlive = new Option<string>("--keep-alive") { Description = "How long the point in time lives (an Elasticsearch time value: 30m, 2h; at most 24h).", DefaultValueFactory = _ => "1h" };
        var command = new Command("pit", "Open a point in time on the index and print its id, for `rerank ingest backfill --slice i/n --pit <id>` workers to share. It expires after --keep-alive.")
        {
            cluster, index, keepAlive,
        };
        command.SetAction((parse, cancellationToken) => IngestErrors.RunAsync(parse, async () =>
        {
            var client = ClusterClient.Create(parse.GetRequiredValue(cluster));
            var id = await IndexScanner.OpenAsync(client, parse.GetRequiredValue(index), parse.GetValue(keepAlive)!, cancellationToken).ConfigureAwait(false);
            parse.InvocationConfiguration.Output.WriteLine(id);
            return 0;
        }));
        return command;
    }
}
