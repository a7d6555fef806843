using Rerank.Cli.Ingest;
using Rerank.IngestPipeline.Backfill;

namespace Rerank.Cli.Tests.Ingest;

public sealed class BackfillProgressBarTests
{
    [Fact]
    public void Report_ThenFinish_DrawsOneSelfRewritingLineWithCountsRateAndEta()
    {
        var error = new StringWriter();
        var bar = new BackfillProgressBar(error);

        bar.Report(new BackfillProgress(Seen: 10, Total: 40, Done: 7, Skipped: 3, Conflicts: 0, Failed: 1));
        bar.Report(new BackfillProgress(Seen: 40, Total: 40, Done: 36, Skipped: 3, Conflicts: 0, Failed: 1));
        bar.Finish();

        var text = error.ToString();
        // The first report draws at once; the second is drawn when 250 ms have passed, and Finish draws the last state
        // and ends the line.
        var frames = text.TrimEnd('\n', '\r').Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(frames.Length, 2, 3);
        Assert.StartsWith("[########----------------------] 10/40 docs, 7 encoded, 1 failed, ", frames[0], StringComparison.Ordinal);
        Assert.StartsWith("[##############################] 40/40 docs, 36 encoded, 1 failed, ", frames[^1], StringComparison.Ordinal);
        Assert.Matches(@"\d+ docs/s, ETA \d\d:\d\d:\d\d", frames[0]);
        Assert.Contains("ETA 00:00:00", frames[^1], StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
    }
}
