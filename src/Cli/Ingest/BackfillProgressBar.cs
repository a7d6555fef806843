using System.Diagnostics;
using System.Globalization;
using Rerank.IngestPipeline.Backfill;

namespace Rerank.Cli.Ingest;

/// <summary>
/// One self-rewriting line on stderr: documents seen of the total, a bar, the rate (documents per second) and the
/// time left at that rate. Redrawn at most four times a second; only used when stderr is a terminal.
/// </summary>
internal sealed class BackfillProgressBar(TextWriter error) : IProgress<BackfillProgress>
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _drawn;
    private BackfillProgress? _last;

    public void Report(BackfillProgress value)
    {
        _last = value;
        if (_drawn is not { } drawn || _clock.Elapsed - drawn >= TimeSpan.FromMilliseconds(250))
        {
            Draw(value);
        }
    }

    /// <summary>Draws the last state and ends the line.</summary>
    public void Finish()
    {
        if (_last is not null)
        {
            Draw(_last);
            error.WriteLine();
        }
    }

    private void Draw(BackfillProgress value)
    {
        _drawn = _clock.Elapsed;
        var total = Math.Max(value.Total, value.Seen);
        var fraction = total == 0 ? 1.0 : (double)value.Seen / total;
        var filled = (int)Math.Round(fraction * Width);
        var rate = value.Seen / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - value.Seen) / rate) : TimeSpan.Zero;
        error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r[{new string('#', filled)}{new string('-', Width - filled)}] {value.Seen}/{total} docs, {value.Done} encoded, {value.Failed} failed, {rate:F0} docs/s, ETA {eta:hh\\:mm\\:ss}  "));
    }
}
