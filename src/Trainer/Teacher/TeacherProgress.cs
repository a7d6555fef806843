using System.Diagnostics;
using System.Globalization;

namespace Rerank.Trainer.Teacher;

/// <summary>
/// Progress of a teacher stage on stderr: pairs done of the total, pairs per second (this run's, resumed pairs not
/// counted) and the time left at that rate. A self-rewriting line (at most four redraws a second) when stderr is a
/// terminal, else one line about every tenth of the work.
/// </summary>
internal sealed class TeacherProgress(TextWriter error, string step, int total, int resumed, bool terminal)
{
    private readonly int _resumed = resumed;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _drawn;
    private int _nextTenth = (int)(10L * resumed / Math.Max(total, 1)) + 1;
    private int _done = resumed;

    public void Report(int done)
    {
        _done = done;
        if (terminal)
        {
            if (_drawn is not { } drawn || _clock.Elapsed - drawn >= TimeSpan.FromMilliseconds(250))
            {
                error.Write("\r" + Line() + "  ");
                _drawn = _clock.Elapsed;
            }

            return;
        }

        if (done < (long)total * _nextTenth / 10)
        {
            return;
        }

        while (_nextTenth <= 10 && done >= (long)total * _nextTenth / 10)
        {
            _nextTenth++;
        }

        error.WriteLine(Line());
    }

    /// <summary>Ends the self-rewriting line.</summary>
    public void Finish()
    {
        if (terminal && _drawn is not null)
        {
            error.Write("\r" + Line() + "  ");
            error.WriteLine();
        }
    }

    private string Line()
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var rate = (_done - _resumed) / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Min((total - _done) / rate, 1e9)) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{step}: {_done:N0}/{total:N0} pairs ({(total == 0 ? 100 : 100.0 * _done / total):F0}%), {rate:F1} pairs/s, ETA {(eta is { } e ? $"{(long)e.TotalHours}:{e.Minutes:D2}:{e.Seconds:D2}" : "?")}");
    }
}
