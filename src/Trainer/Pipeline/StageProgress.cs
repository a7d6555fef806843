using System.Diagnostics;
using System.Globalization;

namespace Rerank.Trainer.Pipeline;

/// <summary>
/// Progress of a long stage on stderr with rate and ETA: a self-rewriting line (at most four redraws a second) when
/// stderr is a terminal, otherwise a line about every tenth of the work (<c>mine: 4,100/8,090 queries (50%), 812.0 queries/s, ETA 0:00:05</c>).
/// Used by every stage that counts items: mine, teacher, the frozen-backbone cache. The ETA counts whole hours (it does
/// not wrap at a day) and is <c>?</c> until a rate is known.
/// </summary>
internal sealed class StageProgress
{
    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly string _step;
    private readonly string _unit;
    private readonly int _total;
    private readonly int _start;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _drawn;
    private int _nextTenth;
    private int _done;

    /// <param name="error">Where to write (the command's stderr).</param>
    /// <param name="terminal">Whether <paramref name="error"/> is a terminal (self-rewriting line) or a file or pipe (lines).</param>
    /// <param name="step">The stage's name, first on the line.</param>
    /// <param name="unit">What is counted (<c>queries</c>).</param>
    /// <param name="total">Items in the whole stage.</param>
    /// <param name="alreadyDone">Items a previous run did (a resume): counted as done, not in the rate.</param>
    public StageProgress(TextWriter error, bool terminal, string step, string unit, int total, int alreadyDone)
    {
        (_error, _terminal, _step, _unit, _total, _start, _done) = (error, terminal, step, unit, total, alreadyDone, alreadyDone);
        _nextTenth = total <= 0 ? 11 : (int)(10L * alreadyDone / total) + 1;
    }

    /// <summary>Whether the process's stderr is a terminal and <paramref name="error"/> is it.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    public void Report(int done)
    {
        _done = done;
        if (_terminal)
        {
            if (_drawn is not { } drawn || _clock.Elapsed - drawn >= TimeSpan.FromMilliseconds(250))
            {
                _drawn = _clock.Elapsed;
                _error.Write("\r" + Describe() + "  ");
            }

            return;
        }

        if (_nextTenth <= 10 && (long)done * 10 >= (long)_total * _nextTenth)
        {
            while (_nextTenth <= 10 && (long)done * 10 >= (long)_total * _nextTenth)
            {
                _nextTenth++;
            }

            _error.WriteLine(Describe());
        }
    }

    /// <summary>Ends the self-rewriting line with the final state.</summary>
    public void Finish()
    {
        if (_terminal)
        {
            _error.WriteLine("\r" + Describe() + "  ");
        }
    }

    private string Describe()
    {
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var rate = (_done - _start) / seconds;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Min((_total - _done) / rate, 1e9)) : (TimeSpan?)null;
        var percent = _total == 0 ? 100 : 100.0 * _done / _total;
        return string.Create(CultureInfo.InvariantCulture,
            $"{_step}: {_done:N0}/{_total:N0} {_unit} ({percent:F0}%), {rate:F1} {_unit}/s, ETA {(eta is { } e ? $"{(long)e.TotalHours}:{e.Minutes:D2}:{e.Seconds:D2}" : "?")}");
    }
}
