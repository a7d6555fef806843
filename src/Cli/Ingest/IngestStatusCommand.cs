using System.CommandLine;
using System.Text.Json;
using Rerank.IngestPipeline.Backfill;

namespace Rerank.Cli.Ingest;

/// <summary><c>rerank ingest status</c>: how many documents have current vectors, and why the others do not.</summary>
internal static class IngestStatusCommand
{
    public static Command Create()
    {
        var cluster = IngestOptions.Cluster();
        var index = IngestOptions.Index();
        var json = new Option<bool>("--json") { Description = "Print {\"documents\", \"current\", \"missing\", \"stale\", \"other_model\"} (integers)." };
        var command = new Command("status", "Scan the index (point in time) and count its documents: current, missing, stale, other_model (docs/index-config.md).")
        {
            cluster, index, json,
        };
        command.SetAction((parse, cancellationToken) => IngestErrors.RunAsync(parse, async () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var client = ClusterClient.Create(parse.GetRequiredValue(cluster));
            var status = await IndexStatusCounter.CountAsync(client, parse.GetRequiredValue(index), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(status));
            }
            else
            {
                output.WriteLine($"documents    {status.Documents}");
                output.WriteLine($"current      {status.Current}");
                output.WriteLine($"missing      {status.Missing}");
                output.WriteLine($"stale        {status.Stale}");
                output.WriteLine($"other_model  {status.OtherModel}");
            }

            return 0;
        }));
        return command;
    }
}
