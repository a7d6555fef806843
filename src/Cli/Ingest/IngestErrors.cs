using System.CommandLine;
using Rerank.CommandLine;
using Rerank.IngestPipeline.Backfill;

namespace Rerank.Cli.Ingest;

/// <summary>Runs an ingest command's work so that cluster and index problems read as one <c>error:</c> line, exit code 1.</summary>
internal static class IngestErrors
{
    public static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (IngestException exception)
        {
            UserErrors.Write(parse.InvocationConfiguration.Error, exception.Message);
            return CommandLineHost.UserErrorExitCode;
        }
    }
}
