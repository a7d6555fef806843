using System.CommandLine;

namespace Rerank.Cli.Ingest;

/// <summary><c>rerank ingest</c>: prepare an index for reranking, fill in its passage vectors, and report on them (docs/ingest.md).</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var ingest = new Command("ingest", "Prepare an index for reranking (init), bring its stored passage vectors up to date (backfill), count them (status), and share a point in time between sliced workers (pit). See docs/ingest.md.");
        ingest.Subcommands.Add(IngestInitCommand.Create());
        ingest.Subcommands.Add(IngestBackfillCommand.Create());
        ingest.Subcommands.Add(IngestStatusCommand.Create());
        ingest.Subcommands.Add(IngestPitCommand.Create());
        return ingest;
    }
}
