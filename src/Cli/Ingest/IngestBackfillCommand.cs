using System.CommandLine;
using System.Text.Json;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.IngestPipeline.Backfill;
using Rerank.IngestPipeline.Encoding;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Ingest;

/// <summary><c>rerank ingest backfill</c>: encodes the documents whose vectors are missing, stale or of another model (docs/ingest.md).</summary>
internal static class IngestBackfillCommand
{
    public static Command Create()
    {
        var cluster = IngestOptions.Cluster();
        var index = IngestOptions.Index();
        var model = new Option<DirectoryInfo>("--model") { Description = "The bundle of the index's configured model (_meta.rerank.model).", Required = true };
        var batch = new Option<int>("--batch") { Description = "Documents encoded and written per batch.", DefaultValueFactory = _ => 256 }.AtLeast(1);
        var slice = new Option<string?>("--slice") { Description = "i/n: take slice i (from 0) of n of a sliced point in time, so n workers share one index." };
        var pit = new Option<string?>("--pit") { Description = "A point-in-time id from `rerank ingest pit`, shared by the workers of one sliced backfill (each --slice of one snapshot)." };
        var json = new Option<bool>("--json") { Description = "Print the final report as {\"done\", \"skipped\", \"conflicts\", \"deleted\", \"failed\"}." };
        var command = new Command("backfill", "Encode every document whose vectors are missing, stale or of another model, and write them back without overwriting newer writes (if_seq_no/if_primary_term). Re-running resumes: current documents are skipped.")
        {
            cluster, index, model, batch, slice, pit, json,
        };
        command.SetAction((parse, cancellationToken) => IngestErrors.RunAsync(parse, async () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var sliceText = parse.GetValue(slice);
            var options = new BackfillOptions
            {
                BatchSize = parse.GetValue(batch),
                Slice = sliceText is null ? null : ScanSlice.Parse(sliceText),
                PointInTime = parse.GetValue(pit),
            };
            var client = ClusterClient.Create(parse.GetRequiredValue(cluster));
            using var logging = CliLogging.Create();
            using var student = StudentModel.Load(
                parse.GetRequiredValue(model).FullName, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));

            // A progress line only on a terminal: redirected output gets the final report alone.
            var bar = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new BackfillProgressBar(error) : null;
            var runner = new BackfillRunner(client, new StudentPassageEncoder(student));
            BackfillReport report;
            try
            {
                report = await runner.RunAsync(parse.GetRequiredValue(index), options with { Progress = bar }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                bar?.Finish();
            }

            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, long>
                {
                    ["done"] = report.Done,
                    ["skipped"] = report.Skipped,
                    ["conflicts"] = report.Conflicts,
                    ["deleted"] = report.Deleted,
                    ["failed"] = report.Failed,
                }));
            }
            else
            {
                output.WriteLine($"done {report.Done}, skipped {report.Skipped} (already current), conflicts {report.Conflicts}, deleted {report.Deleted}, failed {report.Failed}");
            }

            foreach (var failure in report.FailureSamples)
            {
                error.WriteLine($"failed: {failure}");
            }

            if (report.Failed > 0)
            {
                UserErrors.Write(error, $"{report.Failed} documents were left without current vectors; run backfill again once the cause is fixed");
                return CommandLineHost.UserErrorExitCode;
            }

            return 0;
        }));
        return command;
    }
}
